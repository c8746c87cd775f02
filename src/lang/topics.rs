//! Topics' words for their stages and origins: the same in the desk, the
//! command line, the exports and the pages (which take the `[topics]` table as
//! it is).

use super::catalogue::Topics;
use crate::meeting::plan::Language;
use crate::meeting::topics::{Change, Origin, Refusal, Stage};

/// A topic's stage as a person reads it.
pub fn stage_word(w: &Topics, stage: Stage) -> &'static str {
    match stage {
        Stage::Draft => w.draft,
        Stage::Submitted => w.submitted,
        Stage::Returned => w.returned,
        Stage::Merged => w.merged,
        Stage::Redirected => w.redirected,
        Stage::Eligible => w.eligible,
        Stage::InReview => w.in_review,
        Stage::Reviewed => w.reviewed,
        Stage::Adopted => w.adopted,
        Stage::Reserved => w.reserved,
        Stage::Rejected => w.rejected,
        Stage::Withdrawn => w.withdrawn,
    }
}

/// Where a topic comes from, as a person reads it.
pub fn origin_word(w: &Topics, origin: Origin) -> &'static str {
    match origin {
        Origin::Member => w.member,
        Origin::Party => w.party,
        Origin::Sector => w.sector,
        Origin::Public => w.public,
        Origin::Returned => w.origin_returned,
    }
}

/// A topic's refusal as a sentence for a person, in `lang` (the English one is
/// the refusal's own).
pub fn refusal(lang: Language, r: &Refusal) -> String {
    if lang == Language::En {
        return r.to_string();
    }
    match r {
        Refusal::Stale { id, by, .. } if by.is_empty() => {
            format!("{id} 在您打开之后已被修改，请看最新内容再操作")
        }
        Refusal::Stale { id, by, .. } => {
            format!("{id} 在您打开之后已被{by}修改，请看最新内容再操作")
        }
        Refusal::SecretariatOnly { .. } => "只有委员会办公室可以这样做".into(),
        Refusal::NotYours { id } => format!("只有 {id} 的提出者（或代为录入的办公室）可以修改它"),
        Refusal::NotInvited { id } => format!("您没有被邀请联名 {id}"),
        Refusal::NotAnEvaluator { id } => format!("您不是 {id} 的评审人"),
        Refusal::WrongStage { id, what, .. } if what.contains("second proposal") => {
            format!("本轮征集每人只能提出一个议题，您已提出 {id}")
        }
        Refusal::WrongStage { id, .. } => format!("{id} 当前所处阶段不能这样操作"),
        Refusal::Empty { what } => format!("{} 不能为空", field(what)),
        Refusal::TooLong { what, max } => format!("{} 太长（最多 {max} 个字）", field(what)),
        Refusal::UnsafeText { what, .. } => format!("{} 含有不允许的字符", field(what)),
        Refusal::ResearchRequired => "委员提出议题须写明调研基础（非调研不提案）".into(),
        Refusal::BelowThreshold { needed, has } => {
            format!("支持数 {has}，未达到该来源所需的 {needed}：如仍要通过，请写明理由")
        }
        Refusal::OpinionsMissing { missing } => {
            format!("还有 {missing} 位评审人未提出意见：如仍要决定，请写明理由")
        }
        Refusal::NoEvaluators => "请至少指定一位评审人".into(),
        Refusal::TooMany { max, .. } => format!("人数已达上限（最多 {max} 人）"),
        Refusal::MergeIntoItself => "议题不能并入它自己".into(),
        Refusal::AlreadySupported => "您已经支持过这个议题".into(),
        Refusal::NotSupported => "您没有支持这个议题".into(),
        Refusal::RoundCap { cap } => format!("本轮您最多支持 {cap} 个议题，已经用完"),
        Refusal::OwnTopic => "提出者不能联名自己的议题".into(),
    }
}

/// A field's name in a refusal (the rules name it in English).
fn field(what: &str) -> &'static str {
    match what {
        w if w.contains("title") => "标题",
        w if w.contains("problem") => "问题",
        w if w.contains("suggestion") => "建议",
        w if w.contains("research") => "调研基础",
        w if w.contains("reason") => "理由",
        w if w.contains("name") => "姓名",
        w if w.contains("sector") => "界别",
        w if w.contains("opinion") => "意见",
        _ => "内容",
    }
}

/// A change of a topic's history as a person reads it, with its reason.
pub fn change_said(lang: Language, w: &Topics, change: &Change) -> String {
    let zh = lang == Language::Zh;
    let say = |en: String, zh_text: String| if zh { zh_text } else { en };
    let why = |r: &Option<String>| r.as_deref().map_or(String::new(), |r| format!(" · {r}"));
    match change {
        Change::Created { .. } => say("proposed".into(), "提出".into()),
        Change::Edited { asked_again, .. } => say(
            format!("text changed ({asked_again} co-signers asked again)"),
            format!("修改内容（{asked_again} 位联名人需重新确认）"),
        ),
        Change::Invited { name, .. } => say(
            format!("{name} invited to co-sign"),
            format!("邀请{name}联名"),
        ),
        Change::Uninvited { person } => {
            say(format!("{person} uninvited"), format!("取消邀请 {person}"))
        }
        Change::Signed { person } => {
            say(format!("{person} co-signed"), format!("{person} 同意联名"))
        }
        Change::Declined { person } => {
            say(format!("{person} declined"), format!("{person} 不联名"))
        }
        Change::Submitted { on } => say(format!("submitted on {on}"), format!("{on} 提交初审")),
        Change::Withdrawn { reason } => {
            say(format!("withdrawn · {reason}"), format!("撤回 · {reason}"))
        }
        Change::Screened { decision, into } => {
            let into = into.as_deref().map_or(String::new(), |i| format!(" → {i}"));
            let over = decision
                .overrode
                .as_deref()
                .map_or(String::new(), |o| format!(" · {o}"));
            format!(
                "{}{into}{}{over}",
                stage_word(w, decision.stage),
                why(&decision.reason)
            )
        }
        Change::Assigned { evaluators } => {
            let names: Vec<&str> = evaluators.iter().map(|(_, n)| n.as_str()).collect();
            say(
                format!("evaluators: {}", names.join(", ")),
                format!("指定评审：{}", names.join("、")),
            )
        }
        Change::Opined { person, opinion } => say(
            format!("{person}'s opinion: {}", opinion.text),
            format!("{person} 提出评审意见：{}", opinion.text),
        ),
        Change::Decided { decision, number } => {
            let number = number.as_deref().map_or(String::new(), |n| format!(" {n}"));
            format!(
                "{}{number}{}",
                stage_word(w, decision.stage),
                why(&decision.reason)
            )
        }
        Change::Supported { sector } => {
            say(format!("supported ({sector})"), format!("支持（{sector}）"))
        }
        Change::Unsupported { sector } => say(
            format!("support taken back ({sector})"),
            format!("撤回支持（{sector}）"),
        ),
        Change::Linked { .. } => say("linked".into(), "关联".into()),
    }
}
