//! 立题 makes the plan: a topic chosen at 定审 written as a meeting's scenario
//! (TOML, as `scenarios/README.md` describes it): its proposer and co-signers
//! speak, the departments concerned are questioned and respond, the room
//! discusses, evaluates those departments, and reviews their earlier open
//! promises (回头看) from the office's register. The plan carries the topic's
//! number (`[meeting] topic`), so its journal, its minutes and the promises the
//! register takes from it do too: topic → meeting → promise.
//!
//! The seats name the roster (`person`, `organisation`) wherever the roster
//! knows them; the secretariat edits the chair's name, the date, the venue and
//! the times before `check`.

use crate::meeting::plan::Role;
use crate::meeting::roster::{Organisation, Person};
use crate::meeting::topics::{Proposer, Signature, Topic};
use crate::office::Office;
use std::fmt::Write as _;

/// What a plan is written with besides the topic.
#[derive(Debug, Clone)]
pub struct Writing<'a> {
    /// The chair's name.
    pub chair: &'a str,
    /// The office's file as the plan should name it (its `register`),
    /// relative to where the plan is written.
    pub register: Option<&'a str>,
    pub date: Option<&'a str>,
    pub venue: Option<&'a str>,
}

/// A TOML string: JSON's escapes are TOML's.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// An id a plan may use for `raw` (a roster id is one already).
fn plan_id(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// The scenario of `topic` (adopted), its people and departments from
/// `office`'s roster where it knows them.
pub fn write(office: &Office, topic: &Topic, how: &Writing<'_>) -> anyhow::Result<String> {
    let number = topic
        .number
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("{} has no number: it is not adopted (立题)", topic.id))?;
    let people = office.people()?;
    let organisations = office.organisations()?;
    let person = |id: &str| people.iter().find(|p| p.id == id);
    let org = |id: &str| organisations.iter().find(|o| o.id == id);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# 立题 {number}：{title}\n# Written from topic {id} by `xieshang topics plan`: edit the chair, the date, the\n# venue and the times, then `xieshang check` this file.\n",
        title = topic.text.title.replace('\n', " "),
        id = topic.id
    );
    s.push_str("[meeting]\n");
    let _ = writeln!(s, "title = {}", q(&topic.text.title));
    s.push_str("language = \"zh\"\nspeaker_limit = \"5m\"\n");
    let _ = writeln!(s, "topic = {}", q(number));
    if let Some(r) = how.register {
        let _ = writeln!(s, "register = {}", q(r));
    }
    if let Some(d) = how.date {
        let _ = writeln!(s, "date = {}", q(d));
    }
    if let Some(v) = how.venue {
        let _ = writeln!(s, "venue = {}", q(v));
    }

    // The departments concerned, as the roster knows them.
    let departments: Vec<(String, String, Option<&Organisation>)> = topic
        .text
        .departments
        .iter()
        .map(|d| {
            let o = org(d);
            (
                plan_id(d),
                o.map_or_else(|| d.clone(), |o| o.name.clone()),
                o,
            )
        })
        .collect();
    for (id, name, o) in &departments {
        let _ = write!(s, "\n[[departments]]\nid = {}\nname = {}\n", q(id), q(name));
        if let Some(o) = o {
            let _ = writeln!(s, "organisation = {}", q(&o.id));
        }
    }

    let seat = |s: &mut String,
                id: &str,
                name: &str,
                role: &str,
                p: Option<&Person>,
                extra: Option<(&str, &str)>| {
        let _ = write!(
            s,
            "\n[[participants]]\nid = {}\nname = {}\nrole = {}\n",
            q(id),
            q(p.map_or(name, |p| p.name.as_str())),
            q(role)
        );
        if let Some(p) = p {
            let _ = writeln!(s, "person = {}", q(&p.id));
            if let Some(sector) = &p.sector {
                let _ = writeln!(s, "sector = {}", q(sector));
            }
        }
        if let Some((k, v)) = extra {
            let _ = writeln!(s, "{k} = {}", q(v));
        }
    };
    seat(&mut s, "chair", how.chair, "chair", None, None);
    let mut speakers = vec!["proposer".to_string()];
    // A speaker's role: the roster's, when it is one who speaks for
    // themselves; a member's otherwise.
    let role_of = |p: Option<&Person>, default: Role| -> &'static str {
        match p.map(|p| p.role) {
            Some(r @ (Role::Member | Role::Expert | Role::Public)) => r.as_str(),
            _ => default.as_str(),
        }
    };
    match &topic.proposer {
        Proposer::Person { person: id } => {
            let p = person(id);
            seat(
                &mut s,
                "proposer",
                &topic.proposer_name,
                role_of(p, Role::Member),
                p,
                None,
            );
        }
        Proposer::Organisation { .. } => seat(
            &mut s,
            "proposer",
            &topic.proposer_name,
            "member",
            None,
            None,
        ),
        Proposer::Resident { .. } => seat(
            &mut s,
            "proposer",
            &topic.proposer_name,
            "public",
            None,
            None,
        ),
    }
    for (n, c) in topic
        .cosigners
        .iter()
        .filter(|c| matches!(c.signature, Signature::Signed { .. }))
        .enumerate()
    {
        let id = format!("c{}", n + 1);
        let p = person(&c.person);
        seat(&mut s, &id, &c.name, role_of(p, Role::Member), p, None);
        speakers.push(id);
    }
    // Each department's representative: the roster's person of it, else a
    // seat the secretariat names.
    for (id, name, o) in &departments {
        let rep = o.and_then(|o| {
            people
                .iter()
                .find(|p| p.organisation.as_deref() == Some(o.id.as_str()))
        });
        let seat_id = format!("d-{id}");
        let placeholder = format!("{name} 代表");
        seat(
            &mut s,
            &seat_id,
            &placeholder,
            "department",
            rep,
            Some(("department", id)),
        );
    }
    for (n, e) in topic.evaluators.iter().enumerate() {
        let p = person(&e.person);
        seat(&mut s, &format!("x{}", n + 1), &e.name, "expert", p, None);
    }

    let list = |ids: &[String]| ids.iter().map(|i| q(i)).collect::<Vec<_>>().join(", ");
    let depts: Vec<String> = departments.iter().map(|(id, _, _)| id.clone()).collect();
    let _ = write!(s, "\n[[agenda]]\ntitle = {}\n", q(&topic.text.title));
    let _ = write!(
        s,
        "\n[[agenda.steps]]\nkind = \"speak\"\ntitle = \"提出议题：问题与建议\"\nspeakers = [{}]\n",
        list(&speakers)
    );
    if how.register.is_some() && !depts.is_empty() {
        let _ = write!(
            s,
            "\n[[agenda.steps]]\nkind = \"review\"\ntitle = \"回头看：相关部门此前的承诺\"\nduration = \"15m\"\nreview_departments = [{}]\n",
            list(&depts)
        );
    }
    if !depts.is_empty() {
        let _ = write!(
            s,
            "\n[[agenda.steps]]\nkind = \"question\"\ntitle = \"委员和群众提问\"\nduration = \"15m\"\n\n[[agenda.steps]]\nkind = \"respond\"\ntitle = \"部门回应\"\ndepartments = [{}]\n",
            list(&depts)
        );
    }
    s.push_str(
        "\n[[agenda.steps]]\nkind = \"discuss\"\ntitle = \"协商讨论\"\nduration = \"15m\"\n",
    );
    if !depts.is_empty() {
        let _ = write!(
            s,
            "\n[[agenda.steps]]\nkind = \"evaluate\"\ntitle = \"满意度测评\"\nid = \"rating\"\nduration = \"5m\"\nchoices = [\"满意\", \"基本满意\", \"不满意\"]\ntargets = [{}]\nroles = [\"member\", \"expert\", \"public\"]\n",
            list(&depts)
        );
    }
    Ok(s)
}
