//! A plan's seats against the roster: a participant that names a roster
//! person (`person = "ID"`) is that person, and a department that names an
//! organisation (`organisation = "ID"`) is that organisation. When the roster
//! holds anyone, every id named must be in it, and a name the plan writes must
//! be the roster's (a register that a city publishes must never credit one
//! person's promise to another); a seat with no sector takes the roster's.
//! [`Found::who`] says who each named seat is, for `check` to show.

use crate::meeting::plan::Plan;
use crate::office::Office;

/// What checking a plan's seats found.
#[derive(Debug, Default)]
pub struct Found {
    pub warnings: Vec<String>,
    /// Problems of the plan, in English and Chinese.
    pub problems: Vec<(String, String)>,
    /// Each seat that names the roster, as `seat → who`.
    pub who: Vec<String>,
}

/// The plan's problem when the office's file it names cannot be read.
pub fn unreadable(e: &anyhow::Error) -> (String, String) {
    (
        format!("register: {e:#}"),
        format!("register：台账无法读取：{e:#}"),
    )
}

/// Whether `plan` names the roster anywhere.
pub fn names_roster(plan: &Plan) -> bool {
    plan.participants.iter().any(|p| p.person.is_some())
        || plan.departments.iter().any(|d| d.organisation.is_some())
}

/// Checks the seats and departments of `plan` that name the roster against
/// `office`'s, and fills a named person's sector where the plan gives none.
pub fn check(plan: &mut Plan, office: &Office) -> anyhow::Result<Found> {
    let mut found = Found::default();
    if !names_roster(plan) {
        return Ok(found);
    }
    let (people, organisations) = (office.people()?, office.organisations()?);
    let file = office.path().display();
    if people.is_empty() && organisations.is_empty() {
        // In the plan's language, as `check` says everything else.
        found.warnings.push(match plan.meeting.language {
            crate::meeting::plan::Language::Zh => format!(
                "{file} 中的委员名册还是空的，方案所写的人员和单位按原样使用（xieshang roster import people FILE.csv）"
            ),
            crate::meeting::plan::Language::En => format!(
                "the roster in {file} has no one yet, so the people and organisations this plan names are taken as it writes them (xieshang roster import people FILE.csv)"
            ),
        });
        return Ok(found);
    }
    let safe = |t: &str| crate::text::shown(t).into_owned();
    for seat in plan.participants.iter_mut() {
        let Some(id) = seat.person.clone() else {
            continue;
        };
        let Some(person) = people.iter().find(|p| p.id == id) else {
            found.problems.push((
                format!("participant \"{}\": person \"{id}\" is not in the roster {file}: check the id (xieshang roster list)", seat.id),
                format!("参会人“{}”：名册 {file} 中没有编号“{id}”：请核对（xieshang roster list）", seat.id),
            ));
            continue;
        };
        if person.name != seat.name {
            found.problems.push((
                format!(
                    "participant \"{}\" is named \"{}\" here and \"{}\" in the roster ({id}): write the roster's name, or name another person",
                    seat.id, safe(&seat.name), safe(&person.name)
                ),
                format!(
                    "参会人“{}”在此写作“{}”，名册（{id}）中是“{}”：请写名册中的姓名，或改正编号",
                    seat.id, safe(&seat.name), safe(&person.name)
                ),
            ));
            continue;
        }
        if seat.sector.is_none() {
            seat.sector = person.sector.clone();
        }
        let about: Vec<String> = [&person.sector, &person.party, &person.organisation]
            .into_iter()
            .flatten()
            .map(|v| safe(v))
            .collect();
        found.who.push(format!(
            "{} → {id} {}{}",
            seat.id,
            safe(&person.name),
            if about.is_empty() {
                String::new()
            } else {
                format!(" ({})", about.join(" · "))
            }
        ));
    }
    for department in &plan.departments {
        let Some(id) = &department.organisation else {
            continue;
        };
        match organisations.iter().find(|o| &o.id == id) {
            None => found.problems.push((
                format!("department \"{}\": organisation \"{id}\" is not in the roster {file}: check the id (xieshang roster list organisations)", department.id),
                format!("部门“{}”：名册 {file} 中没有单位编号“{id}”：请核对（xieshang roster list organisations）", department.id),
            )),
            Some(o) if o.name != department.name => found.problems.push((
                format!(
                    "department \"{}\" is named \"{}\" here and \"{}\" in the roster ({id}): write the roster's name",
                    department.id, safe(&department.name), safe(&o.name)
                ),
                format!(
                    "部门“{}”在此写作“{}”，名册（{id}）中是“{}”：请写名册中的名称",
                    department.id, safe(&department.name), safe(&o.name)
                ),
            )),
            Some(o) => found
                .who
                .push(format!("{} → {id} {}", department.id, safe(&o.name))),
        }
    }
    Ok(found)
}
