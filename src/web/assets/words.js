// The page's words in Chinese and English. The meeting's own words (names,
// questions, notes) are shown as written; refusals come from the server in both
// languages (an error frame's `messages`), said from the same Rust module as every
// console's.

const ZH = {
  lang: 'zh', other: 'English', floor: '会场', floorCard: '发言', queue: '排队', questions: '提问',
  agenda: '议程', poll: '测评', answers: '答复', free: '话筒空闲', next: '下一位', yourTurn: '请发言',
  yourTurnLong: '轮到您发言了', youSpeak: '您正在发言', place: (n) => `您排在第 ${n} 位`,
  notQueued: '您没有排队', limit: '限时', overtime: '超时', lastSeconds: '最后30秒', paused: '已暂停',
  raise: '举手发言', order: '程序性发言', reply: '直接回应', withdraw: '撤回举手', more: '更多',
  yield: '交还话筒', ask: '向部门提问', department: '部门', question: '问题', send: '提交问题',
  answerFor: (d) => `待 ${d} 答复的问题`, answered: '已答复', follow_up: '书面答复',
  declined: '不予答复', pending: '待答复', carried: '转会后跟踪', notYetOpen: '尚未开始', note: '说明', noteFor: (q) => `${q} 的说明`,
  withdrawn: '已撤回', editQuestion: '修改提问', saveQuestion: '保存修改', withdrawQuestion: '撤回提问',
  asked: (who) => `提问：${who}`, deptSaid: '部门答复', answeredBy: (who) => `答复人：${who}`,
  vote: '投票', votes: '投票', voteNow: '去投票', voted: '已投票', results: '结果', voters: (n) => `${n} 人投票`,
  closedPoll: '已结束', openPoll: '进行中', pollResults: '结果', votingOpen: '投票进行中', queueClosed: '已关闭', rate: (t) => `为 ${t} 评分`,
  secretBallot: (n) => `无记名投票：已有 ${n} 人投票，结果在投票结束后公布`,
  connecting: '连接中', reconnecting: '重新连接中', connected: '已连接',
  chairLeft: '会议暂停：主持人的控制台已关闭，重新打开后自动恢复',
  notStarted: '会议尚未开始', closed: '会议已结束', nobody: '无人排队', none: '尚无提问', noneToAnswer: '没有待本部门答复的问题',
  badLink: '链接无效：请向主持人索取您本人的链接', noToken: '链接中没有令牌：请使用主持人发给您的链接',
  refusedClose: '连接被拒绝', replaced: '您在别处打开了本会议，此页已断开', takeBack: '在此继续',
  sending: '发送中…', sent: '已提交', done: {
    raise_hand: '已举手', withdraw_hand: '已撤回举手', yield_floor: '已交还话筒', submit_question: '问题已提交',
    vote: '已投票', answer_question: '答复已记录', edit_question: '已修改', withdraw_question: '提问已撤回',
  },
  you: '您', shownOf: (n) => `共 ${n} 人排队`, chars: (n) => `${n} / 2000 字`,
  replay: '这是会议回放：只能观看，不能操作', broadcast: '这是会议直播：只能观看，不能操作',
  replayShort: '会议回放', broadcastShort: '会议直播',
  roles: { chair: '主持人', member: '委员', department: '部门', expert: '专家', public: '群众', observer: '列席' },
  kinds: { speak: '发言', question: '提问', respond: '回应', discuss: '讨论', evaluate: '评议' },
  modes: { normal: '普通', point_of_order: '程序', reply: '回应' },
  sources: { registered: '登记', queue: '排队', chair: '指定' },
  watchOnly: '您以列席身份旁听', projector: '大屏幕',
  // The projector.
  scan: '扫码参与', speaking: '正在发言', board: '部门答复', current: '当前问题', noQuestion: '尚无提问',
  rating: '满意度测评', votedSoFar: (n) => `已有 ${n} 人投票`, haveVoted: '人已投票', secret: '无记名投票', rated: '评议对象', choices: '选项', summary: '会议结束',
  duration: '会议时长', speakers: '发言人数', turns: '发言次数', outcome: '问题答复', over: (n) => `${n} 超时`,
};

const EN = {
  lang: 'en', other: '中文', floor: 'Room', floorCard: 'Floor', queue: 'Queue', questions: 'Questions',
  agenda: 'Agenda', poll: 'Poll', answers: 'Answers', free: 'The floor is free', next: 'Next',
  yourTurn: 'You have the floor', yourTurnLong: 'It is your turn to speak',
  youSpeak: 'You are speaking', place: (n) => `You are number ${n} in the queue`,
  notQueued: 'You are not in the queue', limit: 'limit', overtime: 'over', lastSeconds: 'last 30 s', paused: 'paused',
  raise: 'Raise hand', order: 'Point of order', reply: 'Reply', withdraw: 'Withdraw', more: 'More',
  yield: 'Yield the floor', ask: 'Ask a department', department: 'Department',
  question: 'Question', send: 'Send the question', answerFor: (d) => `Questions for ${d}`,
  answered: 'Answered', follow_up: 'Written reply to follow', declined: 'Declined',
  pending: 'Pending', carried: 'Followed up after the meeting', notYetOpen: 'not open yet', note: 'Note', noteFor: (q) => `Note on ${q}`,
  withdrawn: 'Withdrawn', editQuestion: 'Edit my question', saveQuestion: 'Save the change', withdrawQuestion: 'Withdraw the question',
  asked: (who) => `Asked by ${who}`, deptSaid: "The department's answer", answeredBy: (who) => `Answered by ${who}`,
  vote: 'Vote', votes: 'votes', voteNow: 'Vote now', voted: 'Voted', results: 'Results', voters: (n) => `${n} voted`,
  closedPoll: 'closed', openPoll: 'open', pollResults: 'results', votingOpen: 'voting is open', queueClosed: 'closed', rate: (t) => `Rate ${t}`,
  secretBallot: (n) => `Secret ballot: ${n} voted; the results are told when voting closes`,
  connecting: 'Connecting', reconnecting: 'Reconnecting', connected: 'Connected',
  chairLeft: "The meeting is paused: the chair's console closed. It resumes when the chair returns.",
  notStarted: 'The meeting has not started', closed: 'The meeting is closed',
  nobody: 'Nobody is waiting', none: 'No questions yet', noneToAnswer: 'No questions for your department',
  badLink: 'This link is not valid: ask the chair for your own',
  noToken: 'The link has no token: use the link the chair gave you',
  refusedClose: 'The connection was refused', replaced: 'You opened this meeting in another place: this page let go', takeBack: 'Continue here',
  sending: 'Sending…', sent: 'Sent', done: {
    raise_hand: 'Hand raised', withdraw_hand: 'Hand withdrawn', yield_floor: 'Floor yielded', submit_question: 'Question sent',
    vote: 'Vote counted', answer_question: 'Answer recorded', edit_question: 'Question changed', withdraw_question: 'Question withdrawn',
  },
  you: 'you', shownOf: (n) => `${n} in the queue in all`, chars: (n) => `${n} / 2000 characters`,
  replay: 'This is a replay of the meeting: you can watch, not take part',
  broadcast: 'This is a broadcast of the meeting: you can watch, not take part',
  replayShort: 'Replay', broadcastShort: 'Broadcast',
  roles: { chair: 'chair', member: 'member', department: 'department', expert: 'expert', public: 'public', observer: 'observer' },
  kinds: { speak: 'speak', question: 'question', respond: 'respond', discuss: 'discuss', evaluate: 'evaluate' },
  modes: { normal: 'normal', point_of_order: 'order', reply: 'reply' },
  sources: { registered: 'registered', queue: 'queue', chair: 'named' },
  watchOnly: 'You are watching as an observer', projector: 'Projector',
  scan: 'Scan to take part', speaking: 'Speaking', board: 'Departments', current: 'Current question', noQuestion: 'No questions yet',
  rating: 'Evaluation', votedSoFar: (n) => `${n} voted so far`, haveVoted: 'have voted', secret: 'Secret ballot', rated: 'Being rated', choices: 'Choices', summary: 'The meeting is closed',
  duration: 'Duration', speakers: 'Speakers', turns: 'Turns at the floor', outcome: 'Questions', over: (n) => `${n} over`,
};

const KEY = 'xieshang.lang';

/** The page's language: the one chosen before, else the browser's. */
export function chosen() {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch (_) { /* storage refused: fall through */ }
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'zh';
  return nav.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function remember(lang) {
  try {
    localStorage.setItem(KEY, lang);
  } catch (_) { /* a private window: the choice lasts this page */ }
}

export function words(lang) {
  return lang === 'en' ? EN : ZH;
}

/** A refusal in `lang`: the server's sentence in that language when it sent both,
 *  else its sentence in the meeting's language. */
export function refusal(frame, lang) {
  if (frame.messages && frame.messages[lang]) return frame.messages[lang];
  if (frame.reason === 'disconnected') return words(lang).reconnecting;
  return frame.message || frame.reason || '';
}

/** `m:ss`, or `h:mm:ss` from an hour. */
export function clock(ms) {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const two = (n) => (n < 10 ? '0' : '') + n;
  return s >= 3600
    ? `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`
    : `${Math.floor(s / 60)}:${two(s % 60)}`;
}
