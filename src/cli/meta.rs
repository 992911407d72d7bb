//! Commands about chatspool itself rather than a spool: shell completions, the man page and the
//! config file. All are generated from the same clap definitions the parser uses, so they
//! cannot drift from the real flags.

use super::{Failure, Outcome};
use clap::CommandFactory;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct ConfigArgs {
    /// Print where the config file is read from (it need not exist).
    #[arg(long)]
    pub path: bool,
    /// Print a config file with every key commented out, its default and what it accepts.
    #[arg(long)]
    pub print_default: bool,
}

/// `chatspool completions SHELL`: the completion script on stdout.
pub fn completions(args: &CompletionsArgs) -> Outcome {
    let mut out = Vec::new();
    clap_complete::generate(
        args.shell,
        &mut super::Cli::command(),
        "chatspool",
        &mut out,
    );
    print(&out)
}

/// `chatspool man`: the man page (roff) on stdout, for `man -l -` or a `man1` directory.
pub fn man() -> Outcome {
    let mut out = Vec::new();
    clap_mangen::Man::new(super::Cli::command())
        .render(&mut out)
        .map_err(|e| Failure::usage(format!("cannot render the man page: {e}")))?;
    print(&out)
}

/// `chatspool config --path | --print-default`.
pub fn config(args: &ConfigArgs) -> Outcome {
    if args.path {
        let path = crate::config::path().ok_or_else(|| {
            Failure::usage("no config directory: neither XDG_CONFIG_HOME nor HOME is set")
        })?;
        let shown = crate::sanitize::line(&path.display().to_string()).into_owned();
        return print(format!("{shown}\n").as_bytes());
    }
    print(crate::config::default_text().as_bytes())
}

fn print(bytes: &[u8]) -> Outcome {
    let mut out = std::io::stdout().lock();
    super::ignore_broken_pipe(out.write_all(bytes).and_then(|()| out.flush()))?;
    Ok(0)
}
