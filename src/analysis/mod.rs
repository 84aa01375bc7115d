//! Analysis: pure functions over the model.
