//! Integration, snapshot and end-to-end tests of payspec (see tests/tests/).
