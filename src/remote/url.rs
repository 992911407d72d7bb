//! Spool URLs: `s3://bucket/prefix`, `gs://bucket/prefix`, `az://container/prefix`.

use std::fmt;

/// The object stores chatspool reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    S3,
    Gcs,
    Azure,
}

impl Scheme {
    /// The scheme as written in URLs, and in the status line.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::S3 => "s3",
            Scheme::Gcs => "gs",
            Scheme::Azure => "az",
        }
    }
}

/// A parsed spool URL. The prefix has no leading or trailing `/`; empty for a whole bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: Scheme,
    pub bucket: String,
    pub prefix: String,
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.bucket)?;
        if !self.prefix.is_empty() {
            write!(f, "/{}", self.prefix)?;
        }
        Ok(())
    }
}

impl Url {
    /// Parse a spool URL; the error says what is wrong in one line.
    pub fn parse(text: &str) -> Result<Url, String> {
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| format!("{text} is not a URL"))?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "s3" | "s3a" => Scheme::S3,
            "gs" | "gcs" => Scheme::Gcs,
            "az" | "azure" | "abfs" | "abfss" => Scheme::Azure,
            other => {
                return Err(format!(
                    "unsupported spool URL scheme `{other}://`: use s3://, gs:// or az://"
                ))
            }
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(format!(
                "{text} names no bucket: use {}://BUCKET/PREFIX",
                scheme.as_str()
            ));
        }
        let prefix = prefix.trim_matches('/');
        if prefix.split('/').any(|s| s == "." || s == "..") || prefix.contains("//") {
            return Err(format!(
                "{text}: the prefix must not hold `.`, `..` or `//`"
            ));
        }
        Ok(Url {
            scheme,
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_and_print_back() {
        let u = Url::parse("s3://chats/spool/2024/").unwrap();
        assert_eq!((u.scheme, u.bucket.as_str()), (Scheme::S3, "chats"));
        assert_eq!(u.prefix, "spool/2024");
        assert_eq!(u.to_string(), "s3://chats/spool/2024");
        assert_eq!(Url::parse("gs://b").unwrap().to_string(), "gs://b");
        assert_eq!(Url::parse("AZ://c/p").unwrap().scheme, Scheme::Azure);
        assert!(Url::parse("ftp://x/y").unwrap_err().contains("unsupported"));
        assert!(Url::parse("s3:///p").unwrap_err().contains("no bucket"));
        assert!(Url::parse("s3://b/../p").is_err());
    }
}
