//! Serde helpers for `Option<Option<T>>` fields of PATCH commands: an absent field (`None`)
//! leaves a value alone, an explicit `null` (`Some(None)`) clears it. Use with
//! `#[serde(default, with = "kernel::double_option", skip_serializing_if = "Option::is_none")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}
