//! The stats worker: recomputes the stats view's report off the UI thread. Only the newest
//! request waiting is computed (a query typed fast never queues work); the app drops answers
//! of an older generation.

use super::app::StatsRequest;
use super::event::Msg;
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;

/// Start the worker; send it requests, it answers with `Msg::Stats`.
pub fn spawn(out: Sender<Msg>) -> std::io::Result<Sender<StatsRequest>> {
    let (tx, rx) = channel::<StatsRequest>();
    std::thread::Builder::new()
        .name("stats".into())
        .spawn(move || {
            while let Ok(req) = rx.recv() {
                let req = super::matcher::newest(&rx, req);
                super::crash::test_point("stats");
                let report = req.compute();
                let msg = Msg::Stats {
                    generation: req.generation,
                    report: Arc::new(report),
                };
                if out.send(msg).is_err() {
                    break;
                }
            }
        })?;
    Ok(tx)
}
