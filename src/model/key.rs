//! Attribute keys, interned. A million spans carry a handful of distinct keys
//! (`gen_ai.usage.input_tokens`, `otel.scope.name`, …) millions of times; as owned strings they
//! were the largest part of a loaded trace. Here every copy of a key shares one allocation, and a
//! key costs a pointer and a length per attribute.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// An attribute key. Reads like a `&str` (it derefs to one and compares with strings).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(Arc<str>);

/// Distinct keys kept for sharing; past this many (a source that puts ids or free text in keys)
/// new keys are allocated on their own, so the table cannot grow without bound.
const MAX_INTERNED: usize = 16_384;

thread_local! {
    static INTERNED: RefCell<HashSet<Arc<str>>> = RefCell::new(HashSet::new());
}

impl Key {
    /// The shared copy of `s`, creating it the first time.
    pub fn intern(s: &str) -> Key {
        INTERNED.with(|table| {
            let mut table = table.borrow_mut();
            if let Some(k) = table.get(s) {
                return Key(k.clone());
            }
            let k: Arc<str> = Arc::from(s);
            if table.len() < MAX_INTERNED {
                table.insert(k.clone());
            }
            Key(k)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Key {
        Key::intern(s)
    }
}

impl From<String> for Key {
    fn from(s: String) -> Key {
        Key::intern(&s)
    }
}

impl From<&String> for Key {
    fn from(s: &String) -> Key {
        Key::intern(s)
    }
}

impl From<std::borrow::Cow<'_, str>> for Key {
    fn from(s: std::borrow::Cow<'_, str>) -> Key {
        Key::intern(&s)
    }
}

impl From<Key> for String {
    fn from(k: Key) -> String {
        k.0.to_string()
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Key {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Key::intern(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_share_one_allocation() {
        let a = Key::from("gen_ai.usage.input_tokens");
        let b = Key::from(String::from("gen_ai.usage.input_tokens"));
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, "gen_ai.usage.input_tokens");
        assert_ne!(a, Key::from("gen_ai.usage.output_tokens"));
    }
}
