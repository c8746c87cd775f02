//! Topics' words for their stages and origins: the same in the desk, the
//! command line, the exports and the pages (which take the `[topics]` table as
//! it is).

use super::catalogue::Topics;
use crate::meeting::topics::{Origin, Stage};

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
