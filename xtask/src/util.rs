//! Helpers shared by the commands: progress output, running processes, signals.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Ctrl-C and SIGTERM only set a flag, so xtask lives on long enough to stop the server and the
/// PostgreSQL cluster it started. Children in our process group get Ctrl-C from the terminal anyway.
pub fn install_signal_handlers() -> Result<()> {
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, &INTERRUPTED)
            .context("installing the signal handler")?;
    }
    Ok(())
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Numbered progress lines: `==> [3/9] Starting PostgreSQL ...`.
pub struct Progress {
    current: usize,
    total: usize,
}

impl Progress {
    pub fn new(total: usize) -> Self {
        Self { current: 0, total }
    }

    pub fn step(&mut self, title: &str) {
        self.current += 1;
        println!("==> [{}/{}] {title} ...", self.current, self.total);
    }

    pub fn skip(&mut self, title: &str, why: &str) {
        self.current += 1;
        println!(
            "==> [{}/{}] {title}: skipped ({why})",
            self.current, self.total
        );
    }
}

pub fn info(message: impl AsRef<str>) {
    println!("    {}", message.as_ref());
}

pub fn warn(message: impl AsRef<str>) {
    eprintln!("    warning: {}", message.as_ref());
}

/// Free space on the file system holding `path`, from POSIX `df` (None when it can't tell).
pub fn free_disk_kib(path: &Path) -> Option<u64> {
    let output = Command::new("df").arg("-Pk").arg(path).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    // Header, then: filesystem, 1024-blocks, used, available, capacity, mount point.
    text.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()
}

/// The command line as a user would type it, for messages.
pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|part| shell_quote(&part.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Runs `cmd` with inherited output. On failure the error names the command and the `fix`.
pub fn run(cmd: &mut Command, fix: &str) -> Result<()> {
    let status = status(cmd)?;
    if !status.success() {
        bail!("`{}` failed ({status})\n    fix: {fix}", describe(cmd));
    }
    Ok(())
}

/// How often a long-running command says it is still at work: a cold compile can spend
/// minutes in one crate without a line of output, which looks like a hang in CI logs.
const HEARTBEAT: Duration = Duration::from_secs(60);

/// Like `Command::status`, but the child gets its own process group, so that stopping it reaches
/// its children too (cargo's rustc processes, cargo-clippy's cargo). A Ctrl-C in the terminal
/// therefore reaches only xtask, which passes it on to the group; so does a SIGTERM. Every
/// minute it prints how long the command has been running.
pub fn status(cmd: &mut Command) -> Result<ExitStatus> {
    cmd.process_group(0);
    let what = short_description(cmd);
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("could not start `{}`", describe(cmd)))?;
    let mut forwarded = false;
    let mut next_heartbeat = started + HEARTBEAT;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if interrupted() && !forwarded {
            signal(&format!("-{}", child.id()), "INT");
            forwarded = true;
        }
        if Instant::now() >= next_heartbeat {
            info(format!(
                "... `{what}` still running ({} so far)",
                format_duration(started.elapsed())
            ));
            next_heartbeat += HEARTBEAT;
        }
        sleep(Duration::from_millis(100));
    }
}

/// The program and its first two arguments, e.g. `cargo install cargo-leptos`.
fn short_description(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program())
        .to_string_lossy()
        .into_owned();
    std::iter::once(program)
        .chain(
            cmd.get_args()
                .take(2)
                .map(|arg| arg.to_string_lossy().into_owned()),
        )
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sends SIGTERM to one process (the std API only has SIGKILL; `unsafe` is forbidden, so no libc).
pub fn terminate(child: &Child) {
    signal(&child.id().to_string(), "TERM");
}

/// `kill -SIGNAL -- target`: a pid, or `-pgid` for a whole process group.
fn signal(target: &str, name: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{name}"), "--", target])
        .stderr(Stdio::null())
        .status();
}

/// Runs `cmd` and returns its stdout; the error carries stderr.
pub fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not start `{}`", describe(cmd)))?;
    if !out.status.success() {
        bail!(
            "`{}` failed ({}): {}",
            describe(cmd),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Stdout of a command that is allowed to fail or be missing (version probes).
pub fn probe(cmd: &mut Command) -> Option<String> {
    output(cmd.stderr(Stdio::null())).ok()
}

/// Runs `cmd` silently, killing it after `limit`. Returns whether it succeeded in time.
pub fn succeeds_within(cmd: &mut Command, limit: Duration) -> bool {
    let Ok(mut child) = cmd.stdin(Stdio::null()).spawn() else {
        return false;
    };
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.success(),
            Ok(None) if Instant::now() < deadline && !interrupted() => {
                sleep(Duration::from_millis(100));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
        }
    }
}

pub fn find_in_path(name: &str, path: &OsStr) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|dir| dir.join(name))
        .find(|candidate| {
            candidate
                .metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

pub fn current_path() -> OsString {
    std::env::var_os("PATH").unwrap_or_default()
}

/// `dirs` in front of `rest`, as a PATH value.
pub fn prepend_path(dirs: &[PathBuf], rest: &OsStr) -> Result<OsString> {
    let all = dirs
        .iter()
        .cloned()
        .chain(std::env::split_paths(rest))
        .collect::<Vec<_>>();
    std::env::join_paths(all).context("a PATH entry contains ':'")
}

pub fn is_root() -> bool {
    static ROOT: OnceLock<bool> = OnceLock::new();
    *ROOT.get_or_init(|| probe(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0"))
}

/// `program` as root: directly when we are root, else through sudo.
pub fn privileged(program: &str) -> Result<Command> {
    if is_root() {
        return Ok(Command::new(program));
    }
    if find_in_path("sudo", &current_path()).is_none() {
        bail!("`{program}` needs root, but xtask runs as a normal user and sudo is missing\n    fix: run as root, or install sudo");
    }
    let mut cmd = Command::new("sudo");
    cmd.arg(program);
    Ok(cmd)
}

pub fn port_is_free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}

/// A port the OS considers free right now.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).context("binding a probe socket")?;
    Ok(listener.local_addr()?.port())
}

/// The HTTP status of `GET path` on `addr` (host:port), or None when nothing answers.
/// Hand-rolled to keep xtask free of an HTTP client dependency.
pub fn http_status(addr: &str, path: &str) -> Option<u16> {
    let socket = addr.to_socket_addrs().ok()?.next()?;
    let mut stream = TcpStream::connect_timeout(&socket, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut status_line = String::new();
    BufReader::new(stream).read_line(&mut status_line).ok()?;
    status_line.split_whitespace().nth(1)?.parse().ok()
}

/// The last `lines` lines of a text file, for failure reports.
pub fn tail(path: &Path, lines: usize) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let all: Vec<&str> = text.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        }
        Err(e) => format!("(could not read {}: {e})", path.display()),
    }
}

pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        let whole = d.as_secs();
        format!("{}m {:02}s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(shell_quote("-p"), "-p");
        assert_eq!(shell_quote("/a/b.log"), "/a/b.log");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn commands_are_named_by_their_first_words() {
        let mut cmd = Command::new("/usr/bin/cargo");
        cmd.args(["install", "cargo-leptos", "--version", "0.3.11"]);
        assert_eq!(short_description(&cmd), "cargo install cargo-leptos");
    }

    #[test]
    fn formats_durations() {
        assert_eq!(format_duration(Duration::from_millis(1234)), "1.2s");
        assert_eq!(format_duration(Duration::from_secs(125)), "2m 05s");
    }

    #[test]
    fn prepends_path_entries() {
        let path = prepend_path(&[PathBuf::from("/x")], OsStr::new("/a:/b")).unwrap();
        assert_eq!(path, "/x:/a:/b");
    }
}
