//! A TCP proxy on 127.0.0.1 that delays what the server sends, for tests that cancel or kill
//! clients at random points.
//!
//! A database on loopback answers within one poll, so a future dropped "at a random `.await`"
//! would almost always be dropped before its first round trip or after its last. With every
//! reply held back a little, each round trip is a real `Pending`, and a timeout or a `kill -9`
//! lands in the middle of operations (sqlx's own tests of these bugs needed the same).
//!
//! Shared by the root package's tests and auth-migrate's through `#[path]`.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// A running proxy; it stops, and cuts every connection through it, when dropped.
pub struct DelayProxy {
    addr: SocketAddr,
    tasks: JoinSet<()>,
}

impl DelayProxy {
    /// Forwards connections on a fresh port to `upstream` (`host:port`), delaying every chunk
    /// from the server by `delay`.
    pub async fn start(upstream: &str, delay: Duration) -> DelayProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port for the delay proxy");
        let addr = listener.local_addr().expect("the proxy's address");
        let upstream = upstream.to_owned();
        let mut tasks = JoinSet::new();
        tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                connections.spawn(async move {
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        relay(client, server, delay).await;
                    }
                });
                // Reap finished connections so the set does not grow without bound.
                while connections.try_join_next().is_some() {}
            }
        });
        DelayProxy { addr, tasks }
    }

    /// The port clients connect to.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `url` with its `host:port` replaced by the proxy's.
    pub fn url(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
        let (authority, tail) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let host_start = authority.rfind('@').map_or(0, |i| i + 1);
        format!(
            "{scheme}://{}127.0.0.1:{}{tail}",
            &authority[..host_start],
            self.port()
        )
    }
}

impl Drop for DelayProxy {
    fn drop(&mut self) {
        self.tasks.abort_all();
    }
}

/// Copies both ways until either side closes, then closes both.
async fn relay(client: TcpStream, server: TcpStream, delay: Duration) {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let to_server = async {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match client_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if server_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            }
        }
    };
    let to_client = async {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match server_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    tokio::time::sleep(delay).await;
                    if client_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            }
        }
    };
    // Whichever direction ends first ends the connection: a killed client must not leave its
    // server session open through the proxy.
    tokio::select! {
        () = to_server => {}
        () = to_client => {}
    }
}
