//! Topics at a city's size: 20,000 topics of one round and 1,000,000 supports
//! by 250,000 supporters (four each, drawn with the most supported topics far
//! ahead of the rest, as a public page makes them), loaded with
//! `Office::load_topics`. Measures what the public waits for: one support as
//! a page gives it (`update_topic` with `Command::Support`, the supporter's
//! key, the version the page saw; its fifth of the round, durable before it
//! is answered), the public list's first page (50, the most supported first)
//! with its count, and the topics like a title being typed (`similar_topics`).
//!
//! `cargo bench --bench topics` (TOPICS and SUPPORTS for another size;
//! TOPICS_DB keeps the file made).

use std::time::{Duration, Instant};
use xieshang::meeting::topics::{
    self, Actor, Command, NewTopic, Origin, Proposer, Stage, Text, Topic,
};
use xieshang::office::topics::TopicFilter;
use xieshang::office::Office;

const BEIJING: i32 = 8 * 3600;
const ROUND: &str = "2027";
/// Supports each supporter gave before the bench's own (the round's cap is 5).
const EACH: usize = 4;
const PAGE: usize = 50;

const SECTORS: [&str; 8] = [
    "经济界",
    "科技界",
    "民建",
    "农工党",
    "社会福利和社会保障界",
    "教育界",
    "医药卫生界",
    "文化艺术界",
];
const PLACES: [&str; 12] = [
    "老旧小区",
    "城东街道",
    "新城片区",
    "高新区",
    "城中村",
    "沿江社区",
    "北部山区",
    "开发区",
    "老城区",
    "南湖片区",
    "工业园区",
    "乡镇",
];
const SUBJECTS: [&str; 30] = [
    "加装电梯",
    "停车难",
    "垃圾分类",
    "养老服务",
    "学前教育",
    "公交线路",
    "农贸市场",
    "雨污分流",
    "背街小巷",
    "社区食堂",
    "充电桩建设",
    "夜间噪音",
    "托育机构",
    "医保报销",
    "义务教育学位",
    "物业管理",
    "燃气管道改造",
    "河道治理",
    "共享单车",
    "口袋公园",
    "二次供水",
    "家门口就业",
    "残疾人出行",
    "校园周边交通",
    "老年助餐",
    "文化活动场所",
    "外卖骑手权益",
    "菜市场升级",
    "应急避难场所",
    "快递末端网点",
];
const PROBLEMS: [&str; 12] = [
    "审批太慢",
    "资金缺口大",
    "群众反映强烈",
    "部门职责不清",
    "推进缓慢",
    "标准不统一",
    "监管不到位",
    "覆盖面不足",
    "服务质量不高",
    "缺乏长效机制",
    "设施老化",
    "信息不公开",
];

/// A small fixed generator (splitmix64): the same office every run.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let n_topics = env("TOPICS", 20_000);
    let n_supports = env("SUPPORTS", 1_000_000);
    let supporters = n_supports / EACH;
    let dir = tempfile::tempdir().unwrap();
    let db = std::env::var("TOPICS_DB").map_or_else(|_| dir.path().join("office.db"), Into::into);
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_file(db.with_extension("db-wal"));
    let mut office = Office::open(&db).unwrap();
    let mut draw = Draw(36);
    let start_ms: u64 = 1_798_761_600_000; // 2027-01-01

    // The topics: one in twenty a draft, the rest screened or being screened.
    let mut all: Vec<Topic> = (0..n_topics)
        .map(|n| generate(n, &mut draw, start_ms))
        .collect();
    // Supports: topic n drawn with weight 1/(n+10), so the first hundred hold
    // about a third of them and most have a handful; never a draft.
    let open: Vec<usize> = (0..n_topics)
        .filter(|&n| all[n].stage != Stage::Draft)
        .collect();
    let mut cumulative = Vec::with_capacity(open.len());
    let mut sum = 0.0;
    for (rank, _) in open.iter().enumerate() {
        sum += 1.0 / (rank as f64 + 10.0);
        cumulative.push(sum);
    }
    let mut given: Vec<Vec<(String, String)>> = vec![Vec::new(); n_topics];
    let mut theirs: Vec<[usize; EACH]> = Vec::with_capacity(supporters);
    for s in 0..supporters {
        let key = format!("s{s:07}");
        let sector = SECTORS[s % SECTORS.len()];
        let mut chosen = [usize::MAX; EACH];
        for slot in 0..EACH {
            let t = loop {
                let x = (draw.next() >> 11) as f64 / (1u64 << 53) as f64 * sum;
                let i = cumulative.partition_point(|&c| c < x).min(open.len() - 1);
                if !chosen.contains(&open[i]) {
                    break open[i];
                }
            };
            chosen[slot] = t;
            given[t].push((key.clone(), sector.to_string()));
        }
        theirs.push(chosen);
    }
    for (topic, supports) in all.iter_mut().zip(&given) {
        for (_, sector) in supports {
            *topic.support.entry(sector.clone()).or_default() += 1;
        }
    }
    let started = Instant::now();
    let loaded = office.load_topics(all.iter().cloned().zip(given)).unwrap();
    assert_eq!(loaded, n_topics);
    // Closed and opened again, as an office in service is: the load's one
    // transaction checkpointed out of the WAL into the file.
    drop(office);
    let mut office = Office::open(&db).unwrap();
    plans(&db);
    let size = std::fs::metadata(&db).unwrap().len()
        + std::fs::metadata(db.with_extension("db-wal")).map_or(0, |m| m.len());
    println!(
        "topics: {n_topics} topics, {} supports by {supporters} supporters, loaded in {:.1} s, {:.0} MB on disk ({})",
        supporters * EACH,
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6,
        db.display()
    );
    let most = all.iter().map(Topic::supporters).max().unwrap_or(0);
    println!(
        "  the most supported has {most}; the median non-draft {}",
        {
            let mut s: Vec<u64> = open.iter().map(|&n| all[n].supporters()).collect();
            s.sort();
            s[s.len() / 2]
        }
    );

    // One support, as the public page gives it: a supporter's fifth of the
    // round, on a topic they do not support yet and that may be supported.
    let supportable: Vec<usize> = open
        .iter()
        .copied()
        .filter(|&n| all[n].stage.supportable())
        .collect();
    let mut next_supporter = 0usize;
    let mut now_ms = start_ms + 90 * 86_400_000;
    timed(
        "one support (update_topic, Command::Support)",
        1_000,
        || {
            let s = next_supporter * 7919 % supporters;
            next_supporter += 1;
            let t = loop {
                // Half of them on the topics everyone supports, half anywhere.
                let i = if draw.next().is_multiple_of(2) {
                    draw.below(100.min(supportable.len()))
                } else {
                    draw.below(supportable.len())
                };
                if !theirs[s].contains(&supportable[i]) {
                    break supportable[i];
                }
            };
            now_ms += 1_000;
            let topic = &all[t];
            let done = office
                .update_topic(
                    &topic.id,
                    &Command::Support {
                        sector: SECTORS[s % SECTORS.len()].into(),
                    },
                    &Actor::Supporter {
                        key: format!("s{s:07}"),
                    },
                    Some(topic.version),
                    (now_ms, BEIJING),
                )
                .unwrap();
            assert!(done.supporters() > 0);
        },
    );

    let public = TopicFilter {
        public: true,
        ..TopicFilter::default()
    };
    timed(
        "the public list: the first 50, most supported first, and the count",
        200,
        || {
            let page = office.topics(&public, 0, PAGE).unwrap();
            assert_eq!(page.len(), PAGE);
            assert!(page[0].supporters() >= page[PAGE - 1].supporters());
            assert!(office.count_topics(&public).unwrap() > (n_topics / 2) as u64);
        },
    );
    timed("the public list's tenth page", 200, || {
        let page = office.topics(&public, 9 * PAGE, PAGE).unwrap();
        assert_eq!(page.len(), PAGE);
    });

    // Titles as someone types them, each like many topics.
    let typed = [
        "老旧小区加装电梯审批太慢",
        "关于老城区停车难问题的建议",
        "建议加快城中村雨污分流改造",
        "社区食堂和老年助餐",
        "关于快递末端网点监管不到位的建议",
    ];
    let mut which = 0;
    timed("similar topics to a title typed (5 shown)", 200, || {
        let title = typed[which % typed.len()];
        which += 1;
        office.similar_topics(title, None, 5).unwrap();
    });
    for title in typed {
        let found = office.similar_topics(title, None, 5).unwrap();
        println!(
            "  {title}: {}",
            found
                .iter()
                .map(|s| format!("{} {:.2}", s.title, s.likeness))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// Topic `n`: a title of a place, a subject and a problem, a problem of a few
/// sentences, in a stage a round's topics are in.
fn generate(n: usize, draw: &mut Draw, start_ms: u64) -> Topic {
    let place = PLACES[draw.below(PLACES.len())];
    let subject = SUBJECTS[draw.below(SUBJECTS.len())];
    let problem = PROBLEMS[draw.below(PROBLEMS.len())];
    let other = SUBJECTS[draw.below(SUBJECTS.len())];
    let (origin, proposer, name) = match n % 4 {
        0 => (
            Origin::Member,
            Proposer::Person {
                person: format!("W{:05}", n % 10_000),
            },
            format!("委员{:05}号", n % 10_000),
        ),
        1 => (
            Origin::Party,
            Proposer::Organisation {
                organisation: format!("org{}", n % 8),
            },
            "民建市委".to_string(),
        ),
        _ => (
            Origin::Public,
            Proposer::Resident {
                key: format!("r{n:06}"),
            },
            format!("居民{n}"),
        ),
    };
    let created = start_ms + n as u64 * 300_000;
    let mut topic = topics::create(
        NewTopic {
            id: format!("t{:05}", n + 1),
            round: ROUND.into(),
            origin,
            proposer,
            proposer_name: name,
            sector: Some(SECTORS[n % SECTORS.len()].into()),
            entered_by: None,
            text: Text {
                title: format!("关于{place}{subject}{problem}的建议"),
                problem: format!(
                    "{place}{subject}{problem}，居民多次反映。{other}方面也存在{}的情况，第{n}号调研报告附后。",
                    PROBLEMS[draw.below(PROBLEMS.len())]
                ),
                suggestion: format!("建议有关部门统筹推进{subject}，建立{other}长效机制。"),
                research: "走访了三个社区，召开座谈会两次。".into(),
                departments: vec![format!("d{:02}", n % 40)],
            },
        },
        created,
    );
    topic.stage = match draw.below(20) {
        0 => Stage::Draft,
        1..=7 => Stage::Submitted,
        8..=12 => Stage::Eligible,
        13..=15 => Stage::InReview,
        16 => Stage::Reviewed,
        17 => Stage::Adopted,
        18 => Stage::Reserved,
        _ => Stage::Returned,
    };
    if topic.stage != Stage::Draft {
        topic.version = 2 + draw.below(4) as u64;
        topic.updated_ms = created + 86_400_000;
    }
    topic
}

fn timed(what: &str, n: usize, mut f: impl FnMut()) {
    f();
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.2} ms, p99 {:.2} ms, max {:.2} ms ({n} runs)",
        ms(times[n / 2]),
        ms(times[(n * 99 / 100).min(n - 1)]),
        ms(times[n - 1])
    );
}

/// How SQLite (the build's own) goes about the public list and its count.
fn plans(db: &std::path::Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    println!("  sqlite {}", rusqlite::version());
    for sql in [
        "SELECT body FROM topics WHERE 1 = 1 AND stage != 'draft' ORDER BY supporters DESC, updated_ms DESC, id LIMIT 50 OFFSET 0",
        "SELECT count(*) FROM topics WHERE 1 = 1 AND stage != 'draft'",
    ] {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let steps: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        println!("  {sql}: {}", steps.join("; "));
    }
}
