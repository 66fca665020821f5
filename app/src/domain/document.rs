//! Uploaded identity documents: which files are accepted. The type is decided by the
//! file's own first bytes (its "magic number"), never by its name or the browser's claim,
//! so a renamed executable is not an ID copy. Shared with the browser for early hints.

/// Largest accepted upload: a phone photo fits comfortably, a scan as PDF too.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// What the `accept` attribute of the file input offers.
pub const ACCEPT: &str = "image/jpeg,image/png,application/pdf";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocType {
    Jpeg,
    Png,
    Pdf,
}

impl DocType {
    pub fn mime(self) -> &'static str {
        match self {
            DocType::Jpeg => "image/jpeg",
            DocType::Png => "image/png",
            DocType::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            DocType::Jpeg => "jpg",
            DocType::Png => "png",
            DocType::Pdf => "pdf",
        }
    }

    pub fn from_mime(mime: &str) -> Option<DocType> {
        [DocType::Jpeg, DocType::Png, DocType::Pdf]
            .into_iter()
            .find(|d| d.mime() == mime)
    }

    /// The type the bytes themselves announce.
    pub fn sniff(bytes: &[u8]) -> Option<DocType> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(DocType::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(DocType::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(DocType::Pdf)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("Kies eerst een foto of PDF van uw identiteitsbewijs.")]
    Empty,
    #[error("Het bestand is te groot ({size_mb} MB). Het mag hoogstens 10 MB zijn; maak de foto kleiner of scan met een lagere resolutie.")]
    TooLarge { size_mb: String },
    #[error(
        "Dit bestandstype wordt niet aangenomen. Upload een foto (JPEG of PNG) of een PDF van uw identiteitsbewijs."
    )]
    WrongType,
}

/// Checks an upload: not empty, at most [`MAX_BYTES`], and a JPEG, PNG or PDF by content.
pub fn check(bytes: &[u8]) -> Result<DocType, DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(DocumentError::TooLarge {
            size_mb: format!("{:.1}", bytes.len() as f64 / (1024.0 * 1024.0)).replace('.', ","),
        });
    }
    DocType::sniff(bytes).ok_or(DocumentError::WrongType)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_jpeg_png_pdf_by_content() {
        assert_eq!(check(b"\xFF\xD8\xFF\xE0rest"), Ok(DocType::Jpeg));
        assert_eq!(check(b"\x89PNG\r\n\x1a\nrest"), Ok(DocType::Png));
        assert_eq!(check(b"%PDF-1.7\n"), Ok(DocType::Pdf));
        assert_eq!(check(b"MZ\x90\x00"), Err(DocumentError::WrongType));
        assert_eq!(check(b"<html>"), Err(DocumentError::WrongType));
        assert_eq!(check(b""), Err(DocumentError::Empty));
    }

    #[test]
    fn size_limit_is_ten_mebibytes() {
        let mut at_limit = vec![0u8; MAX_BYTES];
        at_limit[..5].copy_from_slice(b"%PDF-");
        assert_eq!(check(&at_limit), Ok(DocType::Pdf));
        at_limit.push(0);
        let err = check(&at_limit).unwrap_err();
        assert!(matches!(err, DocumentError::TooLarge { .. }));
        assert!(err.to_string().contains("10,0 MB"), "{err}");
    }

    #[test]
    fn mime_round_trip() {
        for d in [DocType::Jpeg, DocType::Png, DocType::Pdf] {
            assert_eq!(DocType::from_mime(d.mime()), Some(d));
            assert!(ACCEPT.contains(d.mime()));
        }
        assert_eq!(DocType::from_mime("image/gif"), None);
    }

    proptest! {
        #[test]
        fn anything_without_a_known_signature_is_refused(bytes in prop::collection::vec(any::<u8>(), 1..64)) {
            let known = bytes.starts_with(&[0xFF, 0xD8, 0xFF]) || bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(b"%PDF-");
            prop_assert_eq!(check(&bytes).is_ok(), known);
        }
    }
}
