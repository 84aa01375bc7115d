//! Attribute keys and values as shared strings. A million spans carry a handful of distinct keys
//! (`gen_ai.usage.input_tokens`, `otel.scope.name`, …) and short values (`chat`, a model name, a
//! scope's name and version) millions of times; as owned strings they were the largest part of a
//! loaded trace. Keys and short values are interned, so every copy shares one allocation; long
//! values (prompts, tool arguments) are rarely repeated and get a copy of their own.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;

/// A cheap hash: a lookup per attribute of a million spans must cost little; keys are not
/// adversarial (a slow table only slows the user's own tab).
type FastSet<T> = HashSet<T, BuildHasherDefault<crate::fasthash::WordHasher>>;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// An immutable string that clones by reference: an attribute key or a string value. Reads like
/// a `&str` (it derefs to one and compares with strings).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(Arc<str>);

/// Attribute keys are [`Text`]s; the name says which role a field plays.
pub type Key = Text;

/// Distinct strings kept for sharing; past this many (a source that puts ids or free text in
/// keys) new ones are allocated on their own, so the table cannot grow without bound.
const MAX_INTERNED: usize = 16_384;
/// Longer strings are rarely repeated (prompts, arguments, outputs) and are not looked up.
const MAX_INTERNED_LEN: usize = 64;

thread_local! {
    static INTERNED: RefCell<FastSet<Arc<str>>> = RefCell::new(FastSet::default());
}

impl Text {
    /// A copy of `s` of its own, without looking it up: for a value made once and cloned where
    /// it repeats (an OTLP scope's name on each of its spans).
    pub fn unshared(s: &str) -> Text {
        Text(Arc::from(s))
    }

    /// The shared copy of `s`, creating it the first time; a long `s` gets its own copy.
    pub fn intern(s: &str) -> Text {
        if s.len() > MAX_INTERNED_LEN {
            return Text::unshared(s);
        }
        INTERNED.with(|table| {
            let mut table = table.borrow_mut();
            if let Some(k) = table.get(s) {
                return Text(k.clone());
            }
            let k: Arc<str> = Arc::from(s);
            if table.len() < MAX_INTERNED {
                table.insert(k.clone());
            }
            Text(k)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::intern(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::intern(&s)
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text::intern(s)
    }
}

impl From<std::borrow::Cow<'_, str>> for Text {
    fn from(s: std::borrow::Cow<'_, str>) -> Text {
        Text::intern(&s)
    }
}

impl From<Text> for String {
    fn from(k: Text) -> String {
        k.0.to_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Text::intern(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_unshared_strings_get_their_own_copy() {
        let long = "x".repeat(MAX_INTERNED_LEN + 1);
        assert!(!Arc::ptr_eq(&Text::from(&long).0, &Text::from(&long).0));
        assert_eq!(Text::from(&long), long);
        assert!(!Arc::ptr_eq(&Text::unshared("a").0, &Text::unshared("a").0));
    }

    #[test]
    fn equal_keys_share_one_allocation() {
        let a = Key::from("gen_ai.usage.input_tokens");
        let b = Key::from(String::from("gen_ai.usage.input_tokens"));
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, "gen_ai.usage.input_tokens");
        assert_ne!(a, Key::from("gen_ai.usage.output_tokens"));
    }
}
