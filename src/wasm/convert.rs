//! The boundary's conversions: a core error as a JS exception carrying its parts, and plain JS
//! values to and from the core's values (through serde).

use crate::error::{Error, Range};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The exception of a core error: a JS `Error` whose `message` is the English message, carrying
/// the error's parts (`kind`, `name`, `value`, `range`, `known`, `line`, `column`, `problem`,
/// `count`, `min`, `index`, `len`) as own properties.
pub(super) fn js_error(error: Error) -> JsValue {
    let exception = js_sys::Error::new(&error.to_string());
    if let Ok(parts) = to_js(&error) {
        let parts = js_sys::Object::from(parts);
        for key in js_sys::Object::keys(&parts).iter() {
            if let Ok(value) = js_sys::Reflect::get(&parts, &key) {
                let _ = js_sys::Reflect::set(&exception, &key, &value);
            }
        }
    }
    exception.into()
}

/// A plain JS value (objects, arrays, numbers) of a Rust value.
pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_sys::Error::new(&e.to_string()).into())
}

/// A core value from a plain JS object; a bad object is refused as an invalid `name`.
pub(super) fn from_js<T: serde::de::DeserializeOwned>(name: &'static str, value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| js_error(Error::invalid(name, e, Range::ValidSetting)))
}
