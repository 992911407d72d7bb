//! A whole chat with its personal data masked: fields known to hold an address or a number are
//! masked whole (a phone field written `5551230193` has no shape to find), free text by the
//! patterns.

use super::{named_kind, Kind, Redactor};
use crate::model::{Chat, Field};

fn whole(v: &mut Option<String>, kind: Kind) {
    if v.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        *v = Some(kind.mask().to_string());
    }
}

fn text(r: &Redactor, v: &mut Option<String>) {
    if let Some(s) = v {
        if let std::borrow::Cow::Owned(o) = r.apply(s) {
            *s = o;
        }
    }
}

fn fields(r: &Redactor, fs: &mut [Field]) {
    for f in fs {
        match f.name.as_deref().and_then(named_kind) {
            Some(kind) => whole(&mut f.value, kind),
            None => text(r, &mut f.value),
        }
    }
}

impl Redactor {
    /// `chat` with e-mail, phone and IP fields masked whole (the agents' e-mails and custom
    /// fields named for one too) and every free text masked by the patterns; ids, times and
    /// names of agents are kept.
    pub fn chat(&self, chat: &Chat) -> Chat {
        let mut c = chat.clone();
        let v = &mut c.visitor;
        for (field, kind) in [
            (&mut v.email, Kind::Email),
            (&mut v.phone, Kind::Phone),
            (&mut v.ip, Kind::Ip),
            (&mut c.email, Kind::Email),
            (&mut c.phone, Kind::Phone),
        ] {
            whole(field, kind);
        }
        for t in [
            &mut v.name,
            &mut v.company,
            &mut v.landing_page,
            &mut v.referrer_url,
            &mut v.current_browsing,
            &mut v.keywords,
            &mut c.company,
            &mut c.rating_comment,
            &mut c.agent_comment,
        ] {
            text(self, t);
        }
        for a in &mut c.agents {
            whole(&mut a.email, Kind::Email);
        }
        fields(self, &mut v.custom_fields);
        fields(self, &mut v.custom_variables);
        fields(self, &mut c.custom_fields);
        fields(self, &mut c.custom_variables);
        if let Some(w) = &mut c.wrap_up {
            text(self, &mut w.comment);
            fields(self, &mut w.fields);
        }
        for a in &mut c.attachments {
            text(self, &mut a.name);
            text(self, &mut a.uri);
        }
        for e in &mut c.transcript {
            text(self, &mut e.speaker);
            if let std::borrow::Cow::Owned(o) = self.apply(&e.text) {
                e.text = o;
            }
        }
        c
    }
}
