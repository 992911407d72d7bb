//! Fair samples: N chats per agent, the same for a seed on every machine.
//!
//! Reproducible means no thread RNG and no hash-map order: the candidates are sorted by id, then
//! shuffled by a Fisher–Yates pass driven by splitmix64 from the seed, then dealt out to agents.
//! A chat with two agents counts for one of them (the one with fewest picked so far, then by
//! name), never both; chats with one agent are dealt first, so a shared chat never takes the
//! place of an agent's own.

/// One candidate chat: its id and its agents.
pub struct Candidate<'a> {
    pub id: &'a str,
    pub agents: Vec<&'a str>,
}

/// splitmix64: small, fast, and specified exactly (so every platform draws the same numbers).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), without modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// Up to `per_agent` chats per agent from `candidates` (all of an agent's when fewer), chosen
/// by `seed`; the ids come back sorted. Chats with no agent are never picked.
pub fn pick(candidates: &[Candidate<'_>], per_agent: usize, seed: u64) -> Vec<String> {
    let mut pool: Vec<&Candidate<'_>> =
        candidates.iter().filter(|c| !c.agents.is_empty()).collect();
    pool.sort_by(|a, b| a.id.cmp(b.id));
    pool.dedup_by(|a, b| a.id == b.id);
    let mut rng = SplitMix64::new(seed);
    for i in (1..pool.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        pool.swap(i, j);
    }
    // Stable: shuffled order kept within each group.
    pool.sort_by_key(|c| c.agents.len() > 1);
    let mut picked: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut ids = Vec::new();
    for c in pool {
        let mut agents = c.agents.clone();
        agents.sort_unstable();
        agents.dedup();
        let best = agents
            .iter()
            .filter(|a| picked.get(*a).copied().unwrap_or(0) < per_agent)
            .min_by_key(|a| (picked.get(*a).copied().unwrap_or(0), **a));
        if let Some(a) = best {
            *picked.entry(a).or_insert(0) += 1;
            ids.push(c.id.to_string());
        }
    }
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands<'a>(spec: &'a [(&'a str, &'a [&'a str])]) -> Vec<Candidate<'a>> {
        spec.iter()
            .map(|(id, agents)| Candidate {
                id,
                agents: agents.to_vec(),
            })
            .collect()
    }

    /// The published splitmix64 sequence for seed 1234567 (as in the reference C code).
    #[test]
    fn splitmix_is_the_reference_one() {
        let mut r = SplitMix64::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn n_per_agent_reproducible_and_order_free() {
        let spec: Vec<(String, Vec<&str>)> = (0..40)
            .map(|i| (format!("c{i:02}"), vec![["ann", "bob", "cy"][i % 3]]))
            .collect();
        let list: Vec<(&str, &[&str])> = spec
            .iter()
            .map(|(id, a)| (id.as_str(), a.as_slice()))
            .collect();
        let c = cands(&list);
        let a = pick(&c, 5, 7);
        assert_eq!(a.len(), 15);
        let mut reversed = cands(&list);
        reversed.reverse();
        assert_eq!(pick(&reversed, 5, 7), a, "input order must not matter");
        assert_ne!(pick(&c, 5, 8), a, "another seed, another sample");
        assert_eq!(
            pick(&c, 100, 7).len(),
            40,
            "all of an agent's chats when fewer"
        );
    }

    #[test]
    fn a_shared_chat_counts_once() {
        let c = cands(&[("x", &["ann", "bob"]), ("y", &["ann"]), ("z", &[])]);
        let ids = pick(&c, 1, 3);
        // ann gets her own chat y; the shared x goes to bob.
        assert_eq!(ids, ["x", "y"]);
        let ids = pick(&cands(&[("x", &["ann", "bob"])]), 1, 3);
        assert_eq!(ids, ["x"]);
    }
}
