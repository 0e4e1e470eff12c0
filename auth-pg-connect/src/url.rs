//! libpq's URL forms that sqlx does not read: several hosts, `target_session_attrs`, and the
//! `pgbouncer=true` parameter of Prisma.

use core::fmt;
use core::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;

/// Which server a connection must reach, as libpq's `target_session_attrs` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TargetSessionAttrs {
    /// Any server that accepts the connection (the default).
    #[default]
    Any,
    /// A server that accepts writes: `transaction_read_only` is `off`.
    ReadWrite,
    /// A server that refuses writes: `transaction_read_only` is `on`.
    ReadOnly,
    /// A server not in recovery (`pg_is_in_recovery()` is false).
    Primary,
    /// A server in recovery: a standby.
    Standby,
    /// A standby if any host is one, else any server.
    PreferStandby,
}

impl TargetSessionAttrs {
    /// libpq's spelling, as in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetSessionAttrs::Any => "any",
            TargetSessionAttrs::ReadWrite => "read-write",
            TargetSessionAttrs::ReadOnly => "read-only",
            TargetSessionAttrs::Primary => "primary",
            TargetSessionAttrs::Standby => "standby",
            TargetSessionAttrs::PreferStandby => "prefer-standby",
        }
    }

    /// Whether a server in this state qualifies (for `prefer-standby`: in the first pass,
    /// where only a standby does).
    pub fn accepts(self, role: Role) -> bool {
        match self {
            TargetSessionAttrs::Any => true,
            TargetSessionAttrs::ReadWrite => !role.read_only,
            TargetSessionAttrs::ReadOnly => role.read_only,
            TargetSessionAttrs::Primary => !role.in_recovery,
            TargetSessionAttrs::Standby | TargetSessionAttrs::PreferStandby => role.in_recovery,
        }
    }
}

impl fmt::Display for TargetSessionAttrs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TargetSessionAttrs {
    type Err = UrlError;
    fn from_str(s: &str) -> Result<Self, UrlError> {
        Ok(match s {
            "any" => TargetSessionAttrs::Any,
            "read-write" => TargetSessionAttrs::ReadWrite,
            "read-only" => TargetSessionAttrs::ReadOnly,
            "primary" => TargetSessionAttrs::Primary,
            "standby" => TargetSessionAttrs::Standby,
            "prefer-standby" => TargetSessionAttrs::PreferStandby,
            other => {
                return Err(UrlError(format!(
                    "target_session_attrs=`{other}` is not one of any, read-write, read-only, primary, standby, prefer-standby"
                )));
            }
        })
    }
}

/// What a server said about itself right after connecting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    /// `pg_is_in_recovery()`: a standby.
    pub in_recovery: bool,
    /// `transaction_read_only` of a new session.
    pub read_only: bool,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.in_recovery, self.read_only) {
            (true, _) => f.write_str("a standby (in recovery)"),
            (false, true) => f.write_str("a primary in read-only mode"),
            (false, false) => f.write_str("a read-write primary"),
        }
    }
}

/// One host of a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    /// The name or address (an IPv6 address without its brackets).
    pub host: String,
    /// The port.
    pub port: u16,
}

impl fmt::Display for HostPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// A URL that cannot be used; the message never holds the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid PostgreSQL URL: {0}")]
pub struct UrlError(pub(crate) String);

/// A PostgreSQL URL in libpq's forms, ready for sqlx.
///
/// Besides what sqlx reads itself, it takes:
///
/// - several hosts, `postgres://u:p@db1:5432,db2:5433/app` (or `?host=db1,db2&port=5432,5433`),
///   tried in order;
/// - `target_session_attrs`: `any` (the default), `read-write`, `read-only`, `primary`,
///   `standby`, `prefer-standby`, checked on every new connection;
/// - `connect_timeout` (seconds): how long to wait for each host when looking for one;
/// - `pgbouncer=true`: the server is reached through a transaction-mode pooler (Prisma's
///   convention). This crate only reports it ([`PgUrl::pgbouncer`]); the adapter then sends its
///   statements unnamed, each in a transaction, and `migrate` refuses to run.
///
/// These parameters are removed before sqlx sees the URL. `load_balance_hosts=random` is not
/// supported.
///
/// ```
/// use auth_pg_connect::{PgUrl, TargetSessionAttrs};
/// let url = PgUrl::parse("postgres://app:pw@10.0.0.1,10.0.0.2:5433/auth?target_session_attrs=read-write&sslmode=prefer").unwrap();
/// assert_eq!(url.hosts().len(), 2);
/// assert_eq!(url.hosts()[1].to_string(), "10.0.0.2:5433");
/// assert_eq!(url.target_session_attrs(), TargetSessionAttrs::ReadWrite);
/// assert!(!url.pgbouncer());
/// assert_eq!(url.connect_options().get_database(), Some("auth"));
/// assert!(!format!("{url:?}").contains("pw"));
///
/// let pooled = PgUrl::parse("postgresql://app:pw@pooler:6432/auth?pgbouncer=true").unwrap();
/// assert!(pooled.pgbouncer());
/// ```
#[derive(Clone)]
pub struct PgUrl {
    hosts: Vec<HostPort>,
    attrs: TargetSessionAttrs,
    pgbouncer: bool,
    connect_timeout: Option<Duration>,
    /// The options for the first host (or the URL's own, when it names at most one host).
    base: PgConnectOptions,
}

/// Shows the hosts and parameters, never the password.
impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgUrl")
            .field(
                "hosts",
                &self.hosts.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
            )
            .field("database", &self.base.get_database())
            .field("target_session_attrs", &self.attrs.as_str())
            .field("pgbouncer", &self.pgbouncer)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

impl PgUrl {
    /// Parses `url` (`postgres://` or `postgresql://`).
    pub fn parse(url: &str) -> Result<PgUrl, UrlError> {
        let err = |m: String| UrlError(m);
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| err("expected postgres://… or postgresql://…".into()))?;
        if !scheme.eq_ignore_ascii_case("postgres") && !scheme.eq_ignore_ascii_case("postgresql") {
            return Err(err(format!(
                "the scheme is `{scheme}:`, expected postgres: or postgresql:"
            )));
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let (userinfo, host_list) = match authority.rfind('@') {
            Some(at) => authority.split_at(at + 1),
            None => ("", authority),
        };
        let tail = tail.split('#').next().unwrap_or("");
        let (path, query) = tail.split_once('?').unwrap_or((tail, ""));

        // Query pairs, raw (kept as written for the ones passed on to sqlx).
        let mut kept: Vec<&str> = Vec::new();
        let mut attrs = TargetSessionAttrs::Any;
        let mut pgbouncer = false;
        let mut connect_timeout = None;
        let (mut host_param, mut port_param): (Option<String>, Option<String>) = (None, None);
        let mut host_pair: Vec<&str> = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode(k);
            let value = decode(v);
            match key.as_str() {
                "target_session_attrs" => attrs = value.parse()?,
                "pgbouncer" => {
                    pgbouncer = match value.to_ascii_lowercase().as_str() {
                        "true" | "1" | "yes" | "on" => true,
                        "false" | "0" | "no" | "off" => false,
                        other => {
                            return Err(err(format!("pgbouncer=`{other}` is not true or false")));
                        }
                    }
                }
                "connect_timeout" => {
                    let secs: u64 = value.trim().parse().map_err(|_| {
                        err(format!(
                            "connect_timeout=`{value}` is not a whole number of seconds"
                        ))
                    })?;
                    // libpq: 0 waits forever, and less than 2 s counts as 2 s.
                    connect_timeout = (secs > 0).then(|| Duration::from_secs(secs.max(2)));
                }
                "load_balance_hosts" => {
                    if value != "disable" {
                        return Err(err(format!(
                            "load_balance_hosts=`{value}` is not supported (hosts are tried in order)"
                        )));
                    }
                }
                "host" => {
                    host_param = Some(value);
                    host_pair.push(pair);
                }
                "port" => {
                    port_param = Some(value);
                    host_pair.push(pair);
                }
                _ => kept.push(pair),
            }
        }

        // The host list: before the path, or in `host=` (and `port=`) lists.
        let mut hosts = Vec::new();
        if !host_list.is_empty() {
            for h in host_list.split(',') {
                if h.is_empty() {
                    return Err(err(format!("an empty host in the host list `{host_list}`")));
                }
                hosts.push(split_host(h)?);
            }
        }
        if let Some(list) = &host_param {
            if !hosts.is_empty() && (hosts.len() > 1 || list.contains(',')) {
                return Err(err(
                    "hosts are given both before the path and in `host=`: give them in one place"
                        .into(),
                ));
            }
            if hosts.is_empty() {
                for h in list.split(',') {
                    if h.is_empty() {
                        return Err(err(format!("an empty host in host=`{list}`")));
                    }
                    hosts.push(HostPort {
                        host: h.to_owned(),
                        port: 0,
                    });
                }
            }
        }
        let several = hosts.len() > 1;
        if several {
            if hosts.iter().any(|h| h.host.starts_with('/')) {
                return Err(err(
                    "a Unix socket in a list of several hosts is not supported".into(),
                ));
            }
            let ports: Vec<&str> = port_param
                .as_deref()
                .map_or(Vec::new(), |p| p.split(',').collect());
            if !(ports.len() <= 1 || ports.len() == hosts.len()) {
                return Err(err(format!(
                    "{} ports for {} hosts: give one port, or one per host",
                    ports.len(),
                    hosts.len()
                )));
            }
            let default_port = std::env::var("PGPORT")
                .ok()
                .and_then(|p| p.parse().ok())
                .unwrap_or(5432);
            for (i, h) in hosts.iter_mut().enumerate() {
                if h.port != 0 {
                    continue;
                }
                let given = ports
                    .get(if ports.len() == 1 { 0 } else { i })
                    .copied()
                    .unwrap_or("");
                h.port = if given.is_empty() {
                    default_port
                } else {
                    given
                        .parse::<u16>()
                        .ok()
                        .filter(|&p| p != 0)
                        .ok_or_else(|| err(format!("invalid port `{given}`")))?
                };
            }
        }

        // The URL sqlx reads: without our parameters; with several hosts, the first one only
        // (and no host/port lists). Otherwise the URL as given, which sqlx reads itself.
        let mut query_out: Vec<&str> = kept;
        let authority_out = if several {
            let h = &hosts[0];
            format!("{userinfo}{h}")
        } else {
            query_out.extend(host_pair);
            authority.to_owned()
        };
        let mut sqlx_url = format!("{scheme}://{authority_out}{path}");
        if !query_out.is_empty() {
            sqlx_url.push('?');
            sqlx_url.push_str(&query_out.join("&"));
        }
        let base = PgConnectOptions::from_str(&sqlx_url)
            .map_err(|e| err(one_line(&mask_in(&e.to_string(), userinfo))))?;
        if !several {
            // The one host as sqlx resolved it (defaults, `host=`, `port=`, PGHOST, PGPORT).
            hosts = vec![HostPort {
                host: base.get_host().to_owned(),
                port: base.get_port(),
            }];
        }
        Ok(PgUrl {
            hosts,
            attrs,
            pgbouncer,
            connect_timeout,
            base,
        })
    }

    /// The hosts, in the order they are tried.
    pub fn hosts(&self) -> &[HostPort] {
        &self.hosts
    }

    /// `target_session_attrs` (`any` when absent).
    pub fn target_session_attrs(&self) -> TargetSessionAttrs {
        self.attrs
    }

    /// Whether the URL says `pgbouncer=true`: a transaction-mode pooler is in between.
    pub fn pgbouncer(&self) -> bool {
        self.pgbouncer
    }

    /// `connect_timeout`, if given and not 0.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// Whether connections need more than sqlx does: several hosts, or a check of each new
    /// connection (`target_session_attrs` other than `any`).
    pub fn needs_routing(&self) -> bool {
        self.hosts.len() > 1 || self.attrs != TargetSessionAttrs::Any
    }

    /// sqlx's options for the first host (for a URL of one host: for that host).
    pub fn connect_options(&self) -> PgConnectOptions {
        self.base.clone()
    }

    /// sqlx's options for host `index` of [`PgUrl::hosts`].
    ///
    /// # Panics
    /// When `index` is out of range.
    pub fn connect_options_for(&self, index: usize) -> PgConnectOptions {
        if index == 0 {
            return self.base.clone();
        }
        let h = &self.hosts[index];
        self.base.clone().host(&h.host).port(h.port)
    }

    /// The same URL with its sqlx options changed by `f` (a database, an application name, a
    /// `search_path` in `options`), for every host.
    pub fn map_options(mut self, f: impl FnOnce(PgConnectOptions) -> PgConnectOptions) -> Self {
        self.base = f(self.base);
        self
    }
}

/// `host[:port]` or `[v6]:port`; port 0 when absent.
fn split_host(h: &str) -> Result<HostPort, UrlError> {
    let (host, port) = if let Some(v6) = h.strip_prefix('[') {
        let (addr, after) = v6
            .split_once(']')
            .ok_or_else(|| UrlError(format!("unclosed `[` in host `{h}`")))?;
        match after.strip_prefix(':') {
            Some(p) => (addr, Some(p)),
            None if after.is_empty() => (addr, None),
            None => {
                return Err(UrlError(format!(
                    "unexpected `{after}` after host `[{addr}]`"
                )));
            }
        }
    } else {
        match h.rsplit_once(':') {
            Some((host, p)) => (host, Some(p)),
            None => (h, None),
        }
    };
    if host.is_empty() {
        return Err(UrlError(format!("a host without a name in `{h}`")));
    }
    let port = match port {
        None | Some("") => 0,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|&p| p != 0)
            .ok_or_else(|| UrlError(format!("invalid port `{p}` for host `{host}`")))?,
    };
    Ok(HostPort {
        host: decode(host),
        port,
    })
}

/// Percent-decoding (and `+` as a space, as in query strings sqlx reads).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = core::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `message` with the password of `userinfo` (`user:password@`) masked, on one line.
fn mask_in(message: &str, userinfo: &str) -> String {
    let password = userinfo
        .strip_suffix('@')
        .and_then(|u| u.split_once(':'))
        .map(|(_, p)| p)
        .filter(|p| !p.is_empty());
    match password {
        Some(p) => message.replace(p, "****").replace(&decode(p), "****"),
        None => message.to_owned(),
    }
}

/// Errors on one line.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(url: &PgUrl) -> Vec<String> {
        url.hosts().iter().map(|h| h.to_string()).collect()
    }

    #[test]
    fn one_host_is_passed_through() {
        let u =
            PgUrl::parse("postgres://u:p@db.internal:6543/app?sslmode=disable&application_name=x")
                .unwrap();
        assert_eq!(hosts(&u), ["db.internal:6543"]);
        assert!(!u.needs_routing());
        let o = u.connect_options();
        assert_eq!((o.get_host(), o.get_port()), ("db.internal", 6543));
        assert_eq!(o.get_database(), Some("app"));
        assert_eq!(o.get_application_name(), Some("x"));
        assert_eq!(o.get_username(), "u");
    }

    #[test]
    fn several_hosts() {
        let u = PgUrl::parse(
            "postgresql://u:s3cr%40t@127.0.0.1:5501,127.0.0.1:5502,[::1]:5503,db/authjs_test?target_session_attrs=read-write&sslmode=disable",
        )
        .unwrap();
        assert_eq!(
            hosts(&u),
            ["127.0.0.1:5501", "127.0.0.1:5502", "[::1]:5503", "db:5432"]
        );
        assert_eq!(u.target_session_attrs(), TargetSessionAttrs::ReadWrite);
        assert!(u.needs_routing());
        let o = u.connect_options_for(2);
        assert_eq!((o.get_host(), o.get_port()), ("::1", 5503));
        assert_eq!(o.get_database(), Some("authjs_test"));
        assert_eq!(o.get_username(), "u");
        let o = u.connect_options_for(0);
        assert_eq!((o.get_host(), o.get_port()), ("127.0.0.1", 5501));
        assert!(!format!("{u:?}").contains("s3cr"), "{u:?}");
    }

    #[test]
    fn host_and_port_lists_in_the_query() {
        let u = PgUrl::parse("postgres://u@/app?host=a,b&port=1,2").unwrap();
        assert_eq!(hosts(&u), ["a:1", "b:2"]);
        let u = PgUrl::parse("postgres://u@/app?host=a,b&port=7").unwrap();
        assert_eq!(hosts(&u), ["a:7", "b:7"]);
        assert!(PgUrl::parse("postgres://u@/app?host=a,b&port=1,2,3").is_err());
        assert!(PgUrl::parse("postgres://u@x/app?host=a,b").is_err());
    }

    #[test]
    fn our_parameters_are_read_and_removed() {
        let u = PgUrl::parse(
            "postgres://u:p@h/db?pgbouncer=true&connect_timeout=1&target_session_attrs=any&load_balance_hosts=disable",
        )
        .unwrap();
        assert!(u.pgbouncer());
        assert!(!u.needs_routing());
        assert_eq!(u.connect_timeout(), Some(Duration::from_secs(2)));
        for tsa in [
            "any",
            "read-write",
            "read-only",
            "primary",
            "standby",
            "prefer-standby",
        ] {
            let u = PgUrl::parse(&format!("postgres://h/db?target_session_attrs={tsa}")).unwrap();
            assert_eq!(u.target_session_attrs().as_str(), tsa);
        }
    }

    #[test]
    fn bad_urls_are_named_without_the_password() {
        for (url, needle) in [
            ("mysql://u:secret@h/db", "scheme"),
            (
                "postgres://u:secret@h/db?target_session_attrs=rw",
                "target_session_attrs",
            ),
            ("postgres://u:secret@h/db?pgbouncer=maybe", "pgbouncer"),
            ("postgres://u:secret@a,,b/db", "empty host"),
            ("postgres://u:secret@a:99999,b/db", "invalid port"),
            (
                "postgres://u:secret@a,b/db?load_balance_hosts=random",
                "load_balance_hosts",
            ),
            (
                "postgres://u:secret@a,b/db?connect_timeout=soon",
                "connect_timeout",
            ),
        ] {
            let e = PgUrl::parse(url).unwrap_err().to_string();
            assert!(e.contains(needle), "{url}: {e}");
            assert!(!e.contains("secret"), "{url}: {e}");
        }
    }

    #[test]
    fn roles() {
        let primary = Role {
            in_recovery: false,
            read_only: false,
        };
        let standby = Role {
            in_recovery: true,
            read_only: true,
        };
        assert!(TargetSessionAttrs::ReadWrite.accepts(primary));
        assert!(!TargetSessionAttrs::ReadWrite.accepts(standby));
        assert!(TargetSessionAttrs::Standby.accepts(standby));
        assert!(!TargetSessionAttrs::Primary.accepts(standby));
        assert!(TargetSessionAttrs::Any.accepts(standby));
    }
}
