//! `chatspool export --format parquet -o DIR|URL`: where the tables go, checked before
//! anything is read (never inside the spool, nor inside its bucket prefix), a progress line
//! on stderr, and one line saying what was written.

use super::Args;
use crate::cli::output::{thousands, Progress};
use crate::cli::{Failure, Outcome};
use crate::export::parquet::{self, sink::Sink, Job};
use crate::redact::{Mask, Redactor};
use std::io::IsTerminal;
use std::path::Path;

/// Where the export goes, as the user named it.
enum Target {
    Dir(std::path::PathBuf),
    Url(String),
}

pub fn run(args: &Args, config: &crate::config::Config) -> Outcome {
    let out = args.output.as_deref().ok_or_else(|| {
        Failure::usage("--format parquet needs -o DIR (a directory or a bucket URL)")
    })?;
    let spool_text = args.spool.spool.to_string_lossy().into_owned();
    let spool_is_url = crate::spool::origin::is_url(&spool_text);
    let out_text = out.to_string_lossy().into_owned();
    let target = if crate::spool::origin::is_url(&out_text) {
        refuse_inside_bucket(&spool_text, spool_is_url, &out_text)?;
        Target::Url(out_text)
    } else {
        Target::Dir(out.to_path_buf())
    };
    let inside = |dir: &Path, root: &Path| {
        crate::paths::outside_spool(dir, Some(root), "the export directory").map_err(Failure::usage)
    };
    // Refused before anything is read when the spool is a directory, and again against the
    // directory loaded (a bucket's local copy for a URL).
    if let (Target::Dir(dir), false) = (&target, spool_is_url) {
        inside(dir, &args.spool.spool)?;
    }
    let selected = crate::cli::list::select(&args.spool, args.query.as_deref(), args.sort)?;
    let root = &args.spool.open()?;
    let sink: Box<dyn Sink> = match &target {
        Target::Dir(dir) => Box::new(parquet::sink::Local {
            dir: inside(dir, root)?,
            spool: root.clone(),
        }),
        Target::Url(url) => bucket(url)?,
    };
    let redactor = args.redact.then(|| Redactor::new(config.redact.clone()));
    let settings = match args.redact {
        true => format!(
            "redact {:?}",
            config.redact.iter().map(|r| r.as_str()).collect::<Vec<_>>()
        ),
        false => String::new(),
    };
    let job = Job {
        root,
        chats: &selected.chats,
        mask: Mask(redactor.as_ref()),
        reviews: Some(&selected.reviews),
        levels: args.spool.levels(),
        partition: args.partition.unwrap_or_default(),
        settings,
    };
    let progress = Progress::new("exported");
    // On a terminal the progress line is cleared first; elsewhere there is none to clear.
    let clear = match std::io::stderr().is_terminal() {
        true => "\r\x1b[2K",
        false => "",
    };
    let mut unreadable = |source: &str, why: &str| {
        eprintln!(
            "{clear}chatspool: cannot read {}: {}",
            crate::sanitize::line(source),
            crate::sanitize::line(why)
        );
    };
    let done = parquet::export(
        &job,
        &*sink,
        &mut |done, total| progress.update_count(done, total, "chats"),
        &mut unreadable,
    );
    progress.finish();
    let done = done.map_err(|e| Failure {
        code: 1,
        message: e,
    })?;
    eprintln!(
        "chatspool: exported {} chats and {} messages to {}: {} partitions written, {} unchanged, {} files removed",
        thousands(done.chats),
        thousands(done.messages),
        crate::sanitize::line(&sink.name()),
        done.written,
        done.kept,
        done.removed,
    );
    Ok(0)
}

/// An output URL in the spool's own bucket is refused when it lies inside the spool's prefix:
/// the export would become part of the spool it reads.
fn refuse_inside_bucket(spool: &str, spool_is_url: bool, out: &str) -> Result<(), Failure> {
    #[cfg(feature = "remote")]
    {
        let out_url = crate::remote::Url::parse(out).map_err(Failure::usage)?;
        if !spool_is_url {
            return Ok(());
        }
        let spool_url = crate::remote::Url::parse(spool).map_err(Failure::usage)?;
        let same_bucket = spool_url.scheme == out_url.scheme && spool_url.bucket == out_url.bucket;
        let p = &spool_url.prefix;
        let inside =
            p.is_empty() || out_url.prefix == *p || out_url.prefix.starts_with(&format!("{p}/"));
        if same_bucket && inside {
            return Err(Failure::usage(format!(
                "the export prefix {} is inside the spool {}, which chatspool never writes to: pick a prefix outside it",
                crate::sanitize::line(out),
                crate::sanitize::line(spool),
            )));
        }
        Ok(())
    }
    #[cfg(not(feature = "remote"))]
    {
        // `bucket` says why a URL cannot be used.
        let _ = (spool, spool_is_url, out);
        Ok(())
    }
}

#[cfg(feature = "remote")]
fn bucket(url: &str) -> Result<Box<dyn Sink>, Failure> {
    let url = crate::remote::Url::parse(url).map_err(Failure::usage)?;
    Ok(Box::new(
        crate::remote::export_sink::Bucket::connect(&url).map_err(Failure::usage)?,
    ))
}

#[cfg(not(feature = "remote"))]
fn bucket(url: &str) -> Result<Box<dyn Sink>, Failure> {
    Err(Failure::usage(format!(
        "{}: this chatspool was built without object storage (cargo feature `remote`)",
        crate::sanitize::line(url)
    )))
}

#[cfg(all(test, feature = "remote"))]
mod tests {
    use super::*;

    #[test]
    fn an_export_prefix_inside_the_spools_prefix_is_refused() {
        let spool = "s3://b/spool";
        assert!(refuse_inside_bucket(spool, true, "s3://b/spool").is_err());
        assert!(refuse_inside_bucket(spool, true, "s3://b/spool/exports").is_err());
        assert!(refuse_inside_bucket("s3://b", true, "s3://b/exports").is_err());
        assert!(refuse_inside_bucket(spool, true, "s3://b/spool-exports").is_ok());
        assert!(refuse_inside_bucket(spool, true, "s3://b/exports").is_ok());
        assert!(refuse_inside_bucket(spool, true, "s3://other/spool").is_ok());
        assert!(refuse_inside_bucket(spool, true, "gs://b/spool").is_ok());
        assert!(refuse_inside_bucket("/local/spool", false, "s3://b/spool").is_ok());
    }
}
