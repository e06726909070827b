//! The policy in words: the reason for one decision.

use crate::policy::{Decision, Inputs};

/// Why the policy chose its action for these inputs.
pub fn reason(d: &Decision, x: &Inputs) -> String {
    d.reason(x)
}
