//! Topics (征集选题 → 立题), the loop's first link: proposed by members (from
//! the roster), parties and groups, sectors and the public (through a contact
//! point or the public page), co-signed (联名) and supported, screened in
//! three stages (初审, 复审, 定审), and, once chosen (立题), made into a
//! meeting's plan; a promise that failed comes back as one (回流). Pure like
//! the meeting's and the register's rules: `rules::decide` and `rules::apply`,
//! time an argument.

pub mod rules;
pub mod similar;
pub mod topic;

pub use rules::{
    apply, create, decide, Actor, Change, Command, Ctx, Final, NewTopic, Refusal, Screening,
    Thresholds,
};
pub use topic::{Link, Origin, Proposer, Signature, Stage, Text, Topic, Verdict};
