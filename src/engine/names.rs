//! Enum names: each enum with names derives strum's `IntoStaticStr` (its names) and
//! `VariantArray` (its variants); this holds the one parser behind every `from_key` /
//! `from_name` and `FromStr`, and `ALL` arrays built from the declaration.

/// The variant of `all` whose name is `text` (ASCII case folded when `fold_case`): the one
/// parser behind every enum's `from_key` / `from_name` and `FromStr`.
pub(crate) fn by_name<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    text: &str,
    fold_case: bool,
) -> Option<T> {
    all.iter().copied().find(|&v| {
        if fold_case {
            name(v).eq_ignore_ascii_case(text)
        } else {
            name(v) == text
        }
    })
}

/// A name that is none of an enum's names (the `FromStr` error of the named enums).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not one of the accepted names")]
pub struct UnknownName;

/// An enum's variants, in declaration order, as an array of its length: the `ALL` of each enum
/// with string names, from strum's `VariantArray`. A wrong length fails the build.
pub(crate) const fn variants<T: Copy, const N: usize>(all: &[T]) -> [T; N] {
    assert!(all.len() == N, "ALL must hold every variant");
    match all.first_chunk::<N>() {
        Some(a) => *a,
        None => panic!("ALL must hold every variant"),
    }
}

/// `FromStr` for an enum through its `from_key` / `from_name`.
macro_rules! from_str_by {
    ($t:ty, $parse:path) => {
        impl std::str::FromStr for $t {
            type Err = $crate::engine::names::UnknownName;
            fn from_str(s: &str) -> Result<$t, $crate::engine::names::UnknownName> {
                $parse(s).ok_or($crate::engine::names::UnknownName)
            }
        }
    };
}
pub(crate) use from_str_by;
