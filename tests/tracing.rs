//! The `tracing` spans of adapter operations and migrations, seen by a subscriber.
//!
//! A small recording subscriber (no tracing-subscriber needed) checks that each adapter
//! operation runs in a span `adapter` with `operation`, `dialect` and `table`, that the span
//! follows the operation into the task it runs in (the statements' debug events have it as
//! their parent), that an error is reported there, and that a migration runs in a span
//! `migration` with its statements in spans `statement`, each statement's SQL a debug event.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use authjs_db::adapter::{Adapter, AdapterError};
use authjs_db::schema::kysely::Schema;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A span or an event as recorded: its name (an event's message), fields and parent span.
#[derive(Debug, Clone, Default)]
struct Seen {
    name: String,
    fields: HashMap<String, String>,
    parent: Option<u64>,
}

#[derive(Default)]
struct Log {
    spans: HashMap<u64, Seen>,
    events: Vec<Seen>,
}

/// Records every span and event; tracks the entered spans per thread.
#[derive(Clone, Default)]
struct Recorder {
    log: Arc<Mutex<Log>>,
    next: Arc<AtomicU64>,
}

thread_local! {
    static STACK: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct Fields<'a>(&'a mut HashMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().into(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }
}

fn current() -> Option<u64> {
    STACK.with(|s| s.borrow().last().copied())
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut seen = Seen {
            name: attrs.metadata().name().into(),
            parent: attrs
                .parent()
                .map(Id::into_u64)
                .or_else(|| attrs.is_contextual().then(current).flatten()),
            ..Seen::default()
        };
        attrs.record(&mut Fields(&mut seen.fields));
        self.log.lock().unwrap().spans.insert(id, seen);
        Id::from_u64(id)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(seen) = self.log.lock().unwrap().spans.get_mut(&span.into_u64()) {
            values.record(&mut Fields(&mut seen.fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut seen = Seen {
            parent: event
                .parent()
                .map(Id::into_u64)
                .or_else(|| event.is_contextual().then(current).flatten()),
            ..Seen::default()
        };
        event.record(&mut Fields(&mut seen.fields));
        seen.name = seen.fields.remove("message").unwrap_or_default();
        self.log.lock().unwrap().events.push(seen);
    }
    fn enter(&self, span: &Id) {
        STACK.with(|s| s.borrow_mut().push(span.into_u64()));
    }
    fn exit(&self, span: &Id) {
        STACK.with(|s| {
            let mut s = s.borrow_mut();
            if let Some(i) = s.iter().rposition(|x| *x == span.into_u64()) {
                s.remove(i);
            }
        });
    }
}

impl Recorder {
    fn spans(&self, name: &str) -> Vec<(u64, Seen)> {
        let log = self.log.lock().unwrap();
        let mut spans: Vec<(u64, Seen)> = log
            .spans
            .iter()
            .filter(|(_, s)| s.name == name)
            .map(|(id, s)| (*id, s.clone()))
            .collect();
        spans.sort_by_key(|(id, _)| *id);
        spans
    }
    fn events_in(&self, span: u64) -> Vec<Seen> {
        let log = self.log.lock().unwrap();
        log.events
            .iter()
            .filter(|e| e.parent == Some(span))
            .cloned()
            .collect()
    }
}

/// The adapter's spans, with the SQL as debug events inside them, on the current-thread
/// runtime where `tokio::spawn`ed tasks run on the same thread (so the recorder's per-thread
/// stack sees them) but only while the caller awaits.
#[tokio::test(flavor = "current_thread")]
async fn adapter_operations_run_in_spans() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    // A fresh in-memory database without the tables: the second call fails.
    let adapter: Arc<dyn Adapter<Schema>> = authjs_db::adapter::connect("sqlite::memory:")
        .await
        .unwrap();
    let err = adapter.get_user_by_email("a@b.c").await.unwrap_err();
    assert!(
        matches!(&err, AdapterError::MissingTable { table, .. } if table == "User"),
        "{err:?}"
    );
    let spans = recorder.spans("adapter");
    let (id, span) = spans.last().expect("an `adapter` span");
    assert_eq!(span.fields["operation"], "get_user_by_email", "{span:?}");
    assert_eq!(span.fields["dialect"], "sqlite", "{span:?}");
    assert_eq!(span.fields["table"], "User", "{span:?}");
    let events = recorder.events_in(*id);
    let sql = events
        .iter()
        .find(|e| e.name == "statement")
        .unwrap_or_else(|| panic!("a statement event in the span: {events:?}"));
    assert!(
        sql.fields["sql"].starts_with("SELECT") && sql.fields["sql"].contains("\"User\""),
        "{sql:?}"
    );
    let failed = events
        .iter()
        .find(|e| e.name == "failed")
        .unwrap_or_else(|| panic!("the failure is reported in the span: {events:?}"));
    assert!(
        failed.fields["error"].contains("table `User` does not exist"),
        "{failed:?}"
    );
}

/// Each migration in a span `migration`, each of its statements in a span `statement` inside
/// it, with the statement's SQL as a debug event.
#[tokio::test(flavor = "current_thread")]
async fn migrations_run_in_spans() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let db = authjs_db::migrate::Db::connect("sqlite::memory:")
        .await
        .unwrap();
    let migrator = authjs_db::migrate::Migrator::stock(authjs_db::schema::Backend::Sqlite);
    let report = migrator.up(&db, None, false).await.unwrap();
    let migrations = recorder.spans("migration");
    assert_eq!(migrations.len(), report.applied.len(), "{migrations:?}");
    for ((id, span), applied) in migrations.iter().zip(&report.applied) {
        assert_eq!(
            span.fields["version"],
            applied.version.to_string(),
            "{span:?}"
        );
        assert_eq!(span.fields["direction"], "up", "{span:?}");
        assert!(applied.label.ends_with(&span.fields["name"]), "{span:?}");
        let statements: Vec<(u64, Seen)> = recorder
            .spans("statement")
            .into_iter()
            .filter(|(_, s)| s.parent == Some(*id))
            .collect();
        assert_eq!(statements.len(), applied.statements, "{}", applied.label);
        for (i, ((sid, s), sql)) in statements.iter().zip(&applied.sql).enumerate() {
            assert_eq!(s.fields["index"], (i + 1).to_string(), "{s:?}");
            assert_eq!(s.fields["total"], applied.statements.to_string(), "{s:?}");
            let events = recorder.events_in(*sid);
            assert!(
                events.iter().any(|e| e.fields.get("sql") == Some(sql)),
                "statement {} of {}: {events:?}",
                i + 1,
                applied.label
            );
        }
        assert!(
            recorder.events_in(*id).iter().any(|e| e.name == "done"),
            "{}: the outcome is reported",
            applied.label
        );
    }
    db.close().await;
}
