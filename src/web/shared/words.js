// The page's words in Chinese and English: `catalogue.js`, made at build time
// from the same catalogue as every console's and the minutes' words
// (src/lang/zh.toml, en.toml). The meeting's own words (names, questions, notes)
// are shown as written; refusals come from the server in both languages (an
// error frame's `messages`), said from the same Rust module as every console's.

import { ZH, EN } from './catalogue.js';

const KEY = 'xieshang.lang';

/** The page's language as the reader chose it before, else `otherwise` (a
 *  meeting's page passes the plan's language: the room's, not the browser's). */
export function chosen(otherwise) {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch (_) { /* storage refused: fall through */ }
  if (otherwise === 'zh' || otherwise === 'en') return otherwise;
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
