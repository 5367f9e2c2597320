//! The landing page: what BloomWatch is, for visitors; the way back in, for members.
//! No server functions: it only reads who is signed in.

mod landing_page;

pub use landing_page::LandingPage;
