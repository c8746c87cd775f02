//! Events told as sentences for the console's log, in the console's language.
//! `state` is the meeting just before the event.

use super::labels;
use crate::meeting::plan::Language;
use crate::meeting::{Answer, Event, EventKind, State, TimerName, TurnEnd};

pub fn describe(state: &State, lang: Language, event: &Event) -> String {
    let name = |id: &str| {
        state
            .participant(id)
            .map_or(id.to_string(), |p| p.name.clone())
    };
    let dept = |id: &str| {
        state
            .plan
            .department(id)
            .map_or(id.to_string(), |d| d.name.clone())
    };
    let step = |item: usize, step: usize| {
        state
            .plan
            .step(crate::meeting::Position { item, step })
            .map_or(String::new(), |s| s.title.clone())
    };
    // A poll by the title of its step ("满意度测评"), never its id.
    let poll_name = |id: &str| {
        state
            .plan
            .poll(id)
            .and_then(|(at, _)| state.plan.step(at))
            .map_or(id.to_string(), |s| s.title.clone())
    };
    let clock = labels::clock;
    let zh = lang == Language::Zh;
    let actor_name = event.actor.as_deref().map_or(String::new(), name);
    let timer = |t: TimerName| match (t, zh) {
        (TimerName::Floor, true) => "发言计时",
        (TimerName::Step, true) => "环节计时",
        (TimerName::Floor, false) => "turn timer",
        (TimerName::Step, false) => "step timer",
    };
    let answer = |a: Answer| match a {
        Answer::Answered => labels::labels(lang).answered,
        Answer::FollowUp => labels::labels(lang).follow_up,
        Answer::Declined => labels::labels(lang).declined,
    };
    // An earlier promise by its question, cut short, never its id alone.
    let promise = |id: &str| {
        state.plan.review_item(id).map_or(id.to_string(), |(_, i)| {
            format!(
                "{}「{}」",
                i.department_name,
                crate::text::truncate(&crate::text::shown(&i.question), 24)
            )
        })
    };
    let fw = &crate::lang::catalogue::of(lang).followups;
    match (&event.kind, zh) {
        (EventKind::ReviewCalled { item }, true) => format!("回头看：{}", promise(item)),
        (EventKind::ReviewCalled { item }, false) => format!("Reviewing {}", promise(item)),
        (
            EventKind::ReviewRecorded {
                item, outcome, due, ..
            },
            _,
        ) => {
            let word = crate::lang::followups::outcome_word(fw, *outcome);
            match (due, zh) {
                (Some(d), true) => format!("{}：{word}，{d} 前办结", promise(item)),
                (Some(d), false) => format!("{}: {word}, due {d}", promise(item)),
                (None, true) => format!("{}：{word}", promise(item)),
                (None, false) => format!("{}: {word}", promise(item)),
            }
        }
        (EventKind::ReviewRated { item, rating, .. }, true) => format!(
            "{} 评价 {}：{}",
            actor_name,
            promise(item),
            crate::lang::followups::rating_word(fw, *rating)
        ),
        (EventKind::ReviewRated { item, rating, .. }, false) => format!(
            "{} rated {}: {}",
            actor_name,
            promise(item),
            crate::lang::followups::rating_word(fw, *rating)
        ),
        (EventKind::MeetingStarted, true) => "会议开始".into(),
        (EventKind::MeetingStarted, false) => "The meeting started".into(),
        (EventKind::MeetingClosed, true) => "会议结束".into(),
        (EventKind::MeetingClosed, false) => "The meeting closed".into(),
        (EventKind::StepStarted { item, step: s, .. }, true) => {
            format!("进入环节 {}.{} {}", item + 1, s + 1, step(*item, *s))
        }
        (EventKind::StepStarted { item, step: s, .. }, false) => {
            format!("Step {}.{} began: {}", item + 1, s + 1, step(*item, *s))
        }
        (
            EventKind::StepEnded {
                item,
                step: s,
                elapsed_ms,
            },
            true,
        ) => format!("环节 {} 用时 {}", step(*item, *s), clock(*elapsed_ms)),
        (
            EventKind::StepEnded {
                item,
                step: s,
                elapsed_ms,
            },
            false,
        ) => format!("Step {} took {}", step(*item, *s), clock(*elapsed_ms)),
        (
            EventKind::FloorGranted {
                participant,
                mode,
                source,
                ..
            },
            true,
        ) => {
            format!(
                "{} 发言（{}）",
                name(participant),
                crate::lang::turn_source(lang, *source, *mode)
            )
        }
        (
            EventKind::FloorGranted {
                participant,
                mode,
                source,
                ..
            },
            false,
        ) => {
            format!(
                "{} has the floor ({})",
                name(participant),
                crate::lang::turn_source(lang, *source, *mode)
            )
        }
        (
            EventKind::TurnEnded {
                participant,
                spoken_ms,
                overtime_ms,
                reason,
            },
            _,
        ) => {
            let how = match (reason, zh) {
                (TurnEnd::Yielded, true) => "交还话筒",
                (TurnEnd::Yielded, false) => "yielded",
                (_, true) => "发言结束",
                (_, false) => "finished",
            };
            let over = match (*overtime_ms > 0, zh) {
                (true, true) => format!("，超时 {}", clock(*overtime_ms)),
                (true, false) => format!(", {} over", clock(*overtime_ms)),
                _ => String::new(),
            };
            if zh {
                format!(
                    "{} {}，用时 {}{}",
                    name(participant),
                    how,
                    clock(*spoken_ms),
                    over
                )
            } else {
                format!(
                    "{} {} after {}{}",
                    name(participant),
                    how,
                    clock(*spoken_ms),
                    over
                )
            }
        }
        (EventKind::TimerPaused { timer: t, .. }, true) => format!("{}暂停", timer(*t)),
        (EventKind::TimerPaused { timer: t, .. }, false) => format!("The {} is paused", timer(*t)),
        (EventKind::TimerResumed { timer: t }, true) => format!("{}继续", timer(*t)),
        (EventKind::TimerResumed { timer: t }, false) => format!("The {} runs again", timer(*t)),
        (
            EventKind::TimerExtended {
                timer: t,
                seconds,
                limit_ms,
            },
            true,
        ) => {
            format!(
                "{} {:+} 秒，现限时 {}",
                timer(*t),
                seconds,
                clock(*limit_ms)
            )
        }
        (
            EventKind::TimerExtended {
                timer: t,
                seconds,
                limit_ms,
            },
            false,
        ) => {
            format!(
                "The {} moved {:+} s to {}",
                timer(*t),
                seconds,
                clock(*limit_ms)
            )
        }
        (
            EventKind::HandRaised { participant, mode }
            | EventKind::QueueAdded { participant, mode },
            true,
        ) => {
            format!(
                "{} 排队（{}）",
                name(participant),
                labels::mode(lang, *mode)
            )
        }
        (
            EventKind::HandRaised { participant, mode }
            | EventKind::QueueAdded { participant, mode },
            false,
        ) => {
            format!(
                "{} is in the queue ({})",
                name(participant),
                labels::mode(lang, *mode)
            )
        }
        (
            EventKind::HandWithdrawn { participant } | EventKind::QueueRemoved { participant },
            true,
        ) => {
            format!("{} 离开排队", name(participant))
        }
        (
            EventKind::HandWithdrawn { participant } | EventKind::QueueRemoved { participant },
            false,
        ) => {
            format!("{} left the queue", name(participant))
        }
        (
            EventKind::QueueMoved {
                participant,
                position,
            },
            true,
        ) => format!("{} 移到第 {} 位", name(participant), position + 1),
        (
            EventKind::QueueMoved {
                participant,
                position,
            },
            false,
        ) => format!("{} moved to place {}", name(participant), position + 1),
        (EventKind::QueueClosed, true) => "排队已关闭".into(),
        (EventKind::QueueClosed, false) => "The queue is closed".into(),
        (EventKind::QueueOpened, true) => "排队已开放".into(),
        (EventKind::QueueOpened, false) => "The queue is open".into(),
        (
            EventKind::QuestionSubmitted {
                question,
                asker,
                department,
                text,
            },
            true,
        ) => {
            format!(
                "{} {} 向{}提问：{}",
                question,
                name(asker),
                dept(department),
                text
            )
        }
        (
            EventKind::QuestionSubmitted {
                question,
                asker,
                department,
                text,
            },
            false,
        ) => {
            format!(
                "{} {} asked {}: {}",
                question,
                name(asker),
                dept(department),
                text
            )
        }
        (
            EventKind::QuestionAnswered {
                question,
                status,
                note,
            },
            _,
        ) => {
            let note = note
                .as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default();
            format!("{} {}{}", question, answer(*status), note)
        }
        (EventKind::QuestionWithdrawn { question }, true) => {
            format!("{} 撤回了提问 {question}", actor_name)
        }
        (EventKind::QuestionWithdrawn { question }, false) => {
            format!("{} withdrew question {question}", actor_name)
        }
        (EventKind::QuestionEdited { question, text }, true) => {
            format!("{} 修改了提问 {question}：{text}", actor_name)
        }
        (EventKind::QuestionEdited { question, text }, false) => {
            format!("{} rewrote question {question}: {text}", actor_name)
        }
        (EventKind::QuestionsCarried { questions }, true) => {
            format!("{} 转会后跟踪（环节结束时尚未答复）", questions.join("、"))
        }
        (EventKind::QuestionsCarried { questions }, false) => {
            format!(
                "{} followed up after the meeting (still pending when the answers ended)",
                questions.join(", ")
            )
        }
        (EventKind::PlanChanged { .. }, true) => {
            "会议计划已更正（名称、时间等），会议照常进行".to_string()
        }
        (EventKind::PlanChanged { .. }, false) => {
            "the plan was corrected (names, times); the meeting goes on".to_string()
        }
        (EventKind::ParticipantAdded { participant: p }, true) => {
            format!(
                "{} 到会（{}，临时加入）",
                p.name,
                labels::role(Language::Zh, p.role)
            )
        }
        (EventKind::ParticipantAdded { participant: p }, false) => {
            format!(
                "{} joined ({}, walk-in)",
                p.name,
                labels::role(Language::En, p.role)
            )
        }
        (EventKind::AttendanceMarked { participant, mark }, true) => match mark {
            Some(m) => format!(
                "{} 签到：{}",
                name(participant),
                crate::lang::attendance(Language::Zh, *m)
            ),
            None => format!("{} 的签到已撤销", name(participant)),
        },
        (EventKind::AttendanceMarked { participant, mark }, false) => match mark {
            Some(m) => format!(
                "{} marked {}",
                name(participant),
                crate::lang::attendance(Language::En, *m)
            ),
            None => format!("{}'s attendance mark taken back", name(participant)),
        },
        (EventKind::PollOpened { poll }, true) => format!("{} 开始投票", poll_name(poll)),
        (EventKind::PollOpened { poll }, false) => format!("{}: voting is open", poll_name(poll)),
        (EventKind::PollClosed { poll, .. }, true) => format!("{} 投票结束", poll_name(poll)),
        (EventKind::PollClosed { poll, .. }, false) => {
            format!("{}: voting closed", poll_name(poll))
        }
        (EventKind::VoteCast { voter, .. }, true) => format!("{} 已投票", name(voter)),
        (EventKind::VoteCast { voter, .. }, false) => format!("{} voted", name(voter)),
        (
            EventKind::PresenceChanged {
                participant,
                online,
            },
            true,
        ) => {
            format!(
                "{} {}",
                name(participant),
                if *online { "上线" } else { "离线" }
            )
        }
        (
            EventKind::PresenceChanged {
                participant,
                online,
            },
            false,
        ) => {
            format!(
                "{} is {}",
                name(participant),
                if *online { "online" } else { "offline" }
            )
        }
    }
}
