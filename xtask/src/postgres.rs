//! PostgreSQL clusters owned by xtask: the project-local one under `.bloomwatch/` for `run`/`db`,
//! and a throwaway one per `test` run. Both listen on 127.0.0.1 only, with trust auth, as user
//! `bloomwatch`. initdb and pg_ctl refuse to run as root, so as root they run as `postgres`.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};

use crate::util::{self, describe, find_in_path, info, is_root, output, shell_quote, warn};

const USER: &str = "bloomwatch";
const LOCAL_DEFAULT_PORT: u16 = 54329;
pub const LOCAL_DATABASE: &str = "bloomwatch";

/// The newest `/usr/lib/postgresql/<major>/bin` with an initdb (Debian's layout), else the
/// folder of an `initdb` on PATH.
pub fn newest_bin_dir() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let major = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((major, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => Some(bin),
        None => find_in_path("initdb", &util::current_path())
            .and_then(|initdb| initdb.parent().map(Path::to_path_buf)),
    }
}

/// A cluster xtask knows how to reach. Dropping it stops the server if this run started it,
/// and deletes the folder of a throwaway cluster.
pub struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    socket_dir: PathBuf,
    log: PathBuf,
    port: u16,
    started_here: bool,
    remove_when_done: Option<PathBuf>,
}

impl Cluster {
    /// `.bloomwatch/postgres`, created on first use and kept; started unless already running.
    pub fn project_local(root: &Path) -> Result<Self> {
        let base = root.join(".bloomwatch");
        let data = base.join("postgres");
        let port_file = base.join("postgres.port");
        fs::create_dir_all(&base).with_context(|| format!("creating {}", base.display()))?;
        // As root, the postgres user must be able to walk through it to the data folder.
        fs::set_permissions(&base, fs::Permissions::from_mode(0o755))?;
        let existing = fs::read_to_string(data.join("PG_VERSION")).ok();
        let mut cluster = Self {
            bin: bin_dir(existing.as_deref().map(str::trim))?,
            socket_dir: base.join("socket"),
            log: base.join("postgres.log"),
            data,
            port: 0,
            started_here: false,
            remove_when_done: None,
        };
        cluster.prepare_dirs()?;
        if existing.is_none() {
            info(format!(
                "creating a new cluster in {} (first run)",
                cluster.data.display()
            ));
            cluster.initdb(false)?;
        }
        if cluster.running()? {
            cluster.port = cluster.running_port()?;
            info(format!(
                "already running on port {} (it stays running afterwards)",
                cluster.port
            ));
        } else {
            let remembered = fs::read_to_string(&port_file)
                .ok()
                .and_then(|p| p.trim().parse().ok());
            cluster.port = local_port(remembered)?;
            fs::write(&port_file, format!("{}\n", cluster.port))?;
            cluster.start(&[])?;
        }
        cluster.ensure_database(LOCAL_DATABASE)?;
        Ok(cluster)
    }

    /// A fresh cluster in a temporary folder on a free port, tuned for speed over durability.
    pub fn throwaway() -> Result<Self> {
        Self::fresh(&[
            "fsync=off",
            "synchronous_commit=off",
            "full_page_writes=off",
            "max_connections=200",
        ])
    }

    /// A fresh cluster in a temporary folder with PostgreSQL's durable defaults (fsync,
    /// synchronous commits): what a crash test needs.
    pub fn durable_throwaway() -> Result<Self> {
        Self::fresh(&[])
    }

    /// Stops the server at once, as a crash does (`pg_ctl -m immediate`: no checkpoint, the
    /// next start recovers from the WAL), and starts it again with durable settings.
    pub fn crash_and_restart(&mut self) -> Result<()> {
        info(format!(
            "stopping PostgreSQL on port {} at once (-m immediate)",
            self.port
        ));
        let mut cmd = self.tool("pg_ctl");
        cmd.arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"]);
        output(&mut as_server_user(cmd))?;
        self.started_here = false;
        self.start(&[])
    }

    fn fresh(settings: &[&str]) -> Result<Self> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        // Under /tmp rather than target/: as root, the workspace may sit in a folder (/root)
        // that the postgres user cannot enter.
        let base =
            std::env::temp_dir().join(format!("bloomwatch-test-{}-{nanos}", std::process::id()));
        let (bin, port) = (bin_dir(None)?, util::free_port()?);
        fs::create_dir_all(&base).with_context(|| format!("creating {}", base.display()))?;
        // From here on, dropping `cluster` deletes `base`, also when a later step fails.
        let mut cluster = Self {
            bin,
            data: base.join("data"),
            socket_dir: base.join("socket"),
            log: base.join("postgres.log"),
            port,
            started_here: false,
            remove_when_done: Some(base),
        };
        cluster.prepare_dirs()?;
        cluster.initdb(true)?;
        cluster.start(settings)?;
        Ok(cluster)
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{database}", self.port)
    }

    pub fn ensure_database(&self, name: &str) -> Result<()> {
        let exists = output(self.client("psql").args([
            "-X",
            "-d",
            "postgres",
            "-tAc",
            &format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
        ]))?;
        if exists.trim() != "1" {
            info(format!("creating database {name}"));
            output(self.client("createdb").arg(name))?;
        }
        Ok(())
    }

    /// False when the cluster was already running (another xtask run or `cargo xtask db`).
    pub fn started_here(&self) -> bool {
        self.started_here
    }

    /// Stops the server if this run started it; a no-op otherwise.
    pub fn stop(&mut self) {
        if !self.started_here {
            return;
        }
        self.started_here = false;
        info(format!("stopping PostgreSQL on port {}", self.port));
        let mut cmd = self.tool("pg_ctl");
        cmd.arg("-D")
            .arg(&self.data)
            .args(["-m", "fast", "-w", "stop"]);
        match output(&mut as_server_user(cmd)) {
            Ok(_) => {}
            Err(e) => warn(format!("{e:#}")),
        }
    }

    /// Folders (and log) must belong to the user the server runs as.
    fn prepare_dirs(&self) -> Result<()> {
        for dir in [&self.data, &self.socket_dir] {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        if !self.log.exists() {
            fs::write(&self.log, "")?;
        }
        if !is_root() {
            return Ok(());
        }
        if output(Command::new("id").args(["-u", "postgres"])).is_err() {
            bail!("running as root, but there is no `postgres` user to run PostgreSQL as\n    fix: apt-get install postgresql (it creates the user), or set DATABASE_URL");
        }
        let mut chown = Command::new("chown");
        chown.arg("postgres:").arg(&self.socket_dir).arg(&self.log);
        // The data folder only while it is still empty (before initdb): later it holds
        // thousands of files that already belong to postgres.
        if fs::read_dir(&self.data).is_ok_and(|mut d| d.next().is_none()) {
            chown.arg(&self.data);
        }
        output(&mut chown)?;
        let mut probe = Command::new("test");
        probe.arg("-w").arg(&self.socket_dir);
        if output(&mut as_server_user(probe)).is_err() {
            bail!(
                "the postgres user cannot reach {}\n    fix: make its parent folders traversable (chmod o+x), or set DATABASE_URL",
                self.socket_dir.display()
            );
        }
        Ok(())
    }

    fn initdb(&self, throwaway: bool) -> Result<()> {
        let mut cmd = self.tool("initdb");
        cmd.arg("-D").arg(&self.data).args([
            "--auth=trust",
            "-U",
            USER,
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ]);
        if throwaway {
            cmd.arg("--no-sync");
        }
        output(&mut as_server_user(cmd)).with_context(|| {
            format!(
                "initdb failed\n    fix: read the message; to start over delete {}",
                self.data.display()
            )
        })?;
        Ok(())
    }

    fn running(&self) -> Result<bool> {
        let mut plain = self.tool("pg_ctl");
        plain.arg("-D").arg(&self.data).arg("status");
        let mut cmd = as_server_user(plain);
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        // Exit codes: 0 running, 3 not running, 4 no usable data folder.
        match cmd.status()?.code() {
            Some(0) => Ok(true),
            Some(3) => Ok(false),
            _ => bail!(
                "`{}` cannot read the cluster\n    fix: delete {} to start over (its data is lost)",
                describe(&cmd),
                self.data.display()
            ),
        }
    }

    /// Line 4 of postmaster.pid is the port of the running server.
    fn running_port(&self) -> Result<u16> {
        let pid_file = self.data.join("postmaster.pid");
        let text = fs::read_to_string(&pid_file)
            .with_context(|| format!("reading {}", pid_file.display()))?;
        match text.lines().nth(3).and_then(|p| p.trim().parse().ok()) {
            Some(port) => Ok(port),
            None => bail!("no port in {}", pid_file.display()),
        }
    }

    fn start(&mut self, settings: &[&str]) -> Result<()> {
        let mut options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            shell_quote(&self.socket_dir.to_string_lossy())
        );
        for setting in settings {
            options.push_str(" -c ");
            options.push_str(setting);
        }
        let mut plain = self.tool("pg_ctl");
        plain
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(&self.log)
            .args(["-o", &options, "-w", "-t", "60", "start"]);
        let mut cmd = as_server_user(plain);
        cmd.stdout(Stdio::null());
        let ok = cmd.status().is_ok_and(|s| s.success());
        if !ok {
            bail!(
                "PostgreSQL did not start on port {} (`{}`). Last lines of {}:\n{}\n    fix: read the log; another server may use the port, or delete the data folder to start over",
                self.port,
                describe(&cmd),
                self.log.display(),
                util::tail(&self.log, 20)
            );
        }
        self.started_here = true;
        info(format!(
            "PostgreSQL {} started on 127.0.0.1:{} (log: {})",
            self.bin
                .parent()
                .and_then(Path::file_name)
                .map(|v| v.to_string_lossy().into_owned())
                .unwrap_or_default(),
            self.port,
            self.log.display()
        ));
        Ok(())
    }

    fn tool(&self, name: &str) -> Command {
        Command::new(self.bin.join(name))
    }

    /// A client tool, run as ourselves over TCP (trust auth).
    fn client(&self, tool: &str) -> Command {
        let mut cmd = self.tool(tool);
        cmd.args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", USER]);
        cmd
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
        if let Some(base) = self.remove_when_done.take() {
            if let Err(e) = fs::remove_dir_all(&base) {
                warn(format!("could not delete {}: {e}", base.display()));
            }
        }
    }
}

/// initdb and pg_ctl refuse to run as root: as root, run `plain` as the postgres user.
fn as_server_user(plain: Command) -> Command {
    let mut cmd = if !is_root() {
        plain
    } else if find_in_path("runuser", &util::current_path()).is_some() {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"])
            .arg(plain.get_program())
            .args(plain.get_args());
        cmd
    } else {
        let mut cmd = Command::new("su");
        cmd.args(["postgres", "-s", "/bin/sh", "-c", &describe(&plain)]);
        cmd
    };
    // The postgres user may not be allowed into the caller's working folder.
    cmd.current_dir("/");
    cmd
}

/// The bin folder of an existing cluster's major version when installed, else the newest one
/// (pg_ctl's log then explains a version mismatch).
fn bin_dir(major: Option<&str>) -> Result<PathBuf> {
    let matching = major.map(|m| Path::new("/usr/lib/postgresql").join(m).join("bin"));
    match matching.filter(|bin| bin.join("initdb").is_file()).or_else(newest_bin_dir) {
        Some(bin) => Ok(bin),
        None => bail!("PostgreSQL server binaries (initdb, pg_ctl) not found\n    fix: apt-get install postgresql, or set DATABASE_URL to an existing database"),
    }
}

/// The remembered port if it is still free, else the first free one from the default.
fn local_port(remembered: Option<u16>) -> Result<u16> {
    if let Some(port) = remembered {
        if util::port_is_free(port) {
            return Ok(port);
        }
        warn(format!(
            "port {port} (from .bloomwatch/postgres.port) is taken; picking another"
        ));
    }
    match (LOCAL_DEFAULT_PORT..LOCAL_DEFAULT_PORT + 100).find(|p| util::port_is_free(*p)) {
        Some(port) => Ok(port),
        None => bail!(
            "no free port in {LOCAL_DEFAULT_PORT}..{}\n    fix: stop other servers there, or set DATABASE_URL",
            LOCAL_DEFAULT_PORT + 100
        ),
    }
}

/// A database made for one run (`bench`) on the server that `admin_url` reaches, dropped when
/// this value is dropped. Works with the project-local cluster and with any `DATABASE_URL`
/// whose user may create databases.
pub struct ThrowawayDatabase {
    psql: PathBuf,
    admin_url: String,
    name: String,
    url: String,
}

impl ThrowawayDatabase {
    /// Creates `name` (an identifier: letters, digits, `_`), replacing a leftover of that name.
    pub fn create(admin_url: &str, name: &str) -> Result<Self> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            bail!("{name:?} is not a plain database name");
        }
        let psql = match find_in_path("psql", &util::current_path()) {
            Some(psql) => psql,
            None => match newest_bin_dir().map(|bin| bin.join("psql")) {
                Some(psql) if psql.is_file() => psql,
                _ => bail!("psql not found\n    fix: apt-get install postgresql-client"),
            },
        };
        let database = Self {
            psql,
            admin_url: admin_url.to_owned(),
            name: name.to_owned(),
            url: with_database(admin_url, name),
        };
        database.drop_it()?;
        database.sql(&format!("CREATE DATABASE {name}"))?;
        info(format!("created the throwaway database {name}"));
        Ok(database)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    fn sql(&self, statement: &str) -> Result<()> {
        output(
            Command::new(&self.psql)
                .args([
                    "-X",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-d",
                    &self.admin_url,
                    "-c",
                ])
                .arg(statement),
        )?;
        Ok(())
    }

    /// `WITH (FORCE)` (PostgreSQL 13+) ends sessions a killed server left behind.
    fn drop_it(&self) -> Result<()> {
        let plain = format!("DROP DATABASE IF EXISTS {}", self.name);
        self.sql(&format!("{plain} WITH (FORCE)"))
            .or_else(|_| self.sql(&plain))
    }
}

impl Drop for ThrowawayDatabase {
    fn drop(&mut self) {
        info(format!("dropping the database {}", self.name));
        if let Err(e) = self.drop_it() {
            warn(format!("could not drop the database {}: {e:#}", self.name));
        }
    }
}

/// `url` with its database (the path) replaced by `name`; query parameters are kept.
pub fn with_database(url: &str, name: &str) -> String {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let (head, query) = match url.find('?') {
        Some(q) => url.split_at(q),
        None => (url, ""),
    };
    let base = match head[authority_start..].find('/') {
        Some(slash) => &head[..authority_start + slash],
        None => head,
    };
    format!("{base}/{name}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_of_a_url() {
        assert_eq!(
            with_database("postgres://bloomwatch@127.0.0.1:54329/postgres", "bench"),
            "postgres://bloomwatch@127.0.0.1:54329/bench"
        );
        assert_eq!(
            with_database("postgres://me:pw@db:5432/app?sslmode=disable", "bench"),
            "postgres://me:pw@db:5432/bench?sslmode=disable"
        );
        assert_eq!(
            with_database("postgresql://me@db", "bench"),
            "postgresql://me@db/bench"
        );
        assert_eq!(
            with_database("postgres://me@db?sslmode=require", "bench"),
            "postgres://me@db/bench?sslmode=require"
        );
    }

    #[test]
    fn refuses_names_that_need_quoting() {
        assert!(ThrowawayDatabase::create("postgres://x/y", "a; DROP").is_err());
    }
}
