//! Lookalike domains, checked in the reverse direction of dnstwist: an observed host is
//! compared with the official domains in the allowlists (Chromium's `lookalike_url_util` is
//! the model). Kinds: UTS #39 skeleton equal to a brand's label (`pаypal`, `paypa1`,
//! `revoIut`), one visually plausible edit (`legder`, `krakem`, `paypall`), an official domain
//! embedded in another host (`paypal.com.secure-login.xyz`, `paypal-com.support`,
//! `metamask.io-wallet.app`), brand + keyword (`coinbase-support.help`), and a brand's label
//! on a TLD it does not use (`metamask.app`).
//!
//! False-positive lessons applied (MetaMask eth-phishing-detect, Chromium): registrable
//! domains come from the Public Suffix List, never from string surgery; labels shorter than 5
//! characters are matched exactly only; brand names that are ordinary words (`apple`,
//! `ledger`) or short (`jd`, `qq`) need a stronger sign; and a brand's name on a country
//! suffix is a weak signal only, because brands run country sites.

use std::collections::HashMap;

use super::finder::Finder;
use crate::allowlist::{Allowlist, Brand};
use crate::domain::Domains;
use crate::fold::{fold_key, lookalike_fold};

/// Labels shorter than this are matched exactly only.
pub(crate) const MIN_FUZZY_LEN: usize = 5;

/// Longest token compared for edits (brand labels are shorter).
const MAX_TOKEN_LEN: usize = 40;

/// Words that, next to a brand's name, make a host look like that brand's login, support,
/// wallet or app page (combo-squatting: `coinbase-support`, `trustwalletapp`,
/// `imtoken-android`). Deliberately left out, because brands use them for their own
/// domains: `online` (microsoftonline.com), `live`, `store`, `corp`, `cdn`, `images`.
pub(crate) const BRAND_KEYWORDS: &[&str] = &[
    "account",
    "accounts",
    "activate",
    "airdrop",
    "alert",
    "android",
    "apk",
    "app",
    "apps",
    "auth",
    "billing",
    "bonus",
    "care",
    "center",
    "centre",
    "claim",
    "connect",
    "contact",
    "crypto",
    "customer",
    "dapp",
    "desk",
    "download",
    "extension",
    "gift",
    "help",
    "helpdesk",
    "helpline",
    "hotline",
    "id",
    "install",
    "ios",
    "kyc",
    "locked",
    "login",
    "logon",
    "official",
    "payment",
    "phone",
    "promo",
    "recover",
    "recovery",
    "refund",
    "reset",
    "restore",
    "reward",
    "rewards",
    "secure",
    "security",
    "service",
    "services",
    "signin",
    "support",
    "suspended",
    "sync",
    "team",
    "unlock",
    "update",
    "validate",
    "validation",
    "verify",
    "verification",
    "wallet",
    "wallets",
    "web3",
];

/// Whether a token is a brand keyword, or a one-edit misspelling of a keyword of 6+ letters
/// (`wallte`, `suport`, `secuirty`).
pub(crate) fn is_brand_keyword(token: &str) -> bool {
    let n = token.len();
    if !(2..=16).contains(&n) {
        return false; // no keyword is longer than 12 letters
    }
    BRAND_KEYWORDS.iter().any(|k| {
        let close = k.len().abs_diff(n) <= 1;
        close && (*k == token || (k.len() >= 6 && one_edit(token, k).is_some()))
    })
}

/// How distinctive a brand label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strength {
    /// 5+ characters and not an ordinary word: `paypal`, `metamask`, `coinbase`.
    Strong,
    /// 5+ characters but an ordinary word, or not the brand's own name: `apple`, `ledger`,
    /// `token` (imToken's token.im).
    Word,
    /// Under 5 characters: `jd`, `qq`, `ccb`, `wise`, `cash`. Exact matches only.
    Short,
}

/// Where a label comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The registrable label of an official web or email domain (`paypal` of paypal.com).
    Domain,
    /// A brand alias written in ASCII (`transferwise`, `cashapp`, `krakenpro`).
    Alias,
}

/// One name a brand is known by in host names.
#[derive(Debug, Clone)]
pub(crate) struct Label {
    pub text: String,
    /// Index into [`Allowlist::brands`].
    pub brand: usize,
    pub strength: Strength,
    pub source: Source,
    /// Whether the label is also one of the brand's aliases (`apple`, `jd`), as opposed to a
    /// domain label that is not the brand's name (`token`, `qq`, `cash`).
    pub is_alias: bool,
    /// Whether the brand has any official domain in the allowlists.
    pub brand_has_domains: bool,
    /// The label with look-alike letters folded (see `visual_fold`).
    pub visual: String,
    /// Length in characters.
    pub chars: usize,
    /// [`char_mask`] of `text` and of `visual`.
    pub masks: (u64, u64),
}

/// One official registrable domain, split into labels for the embedding check.
#[derive(Debug, Clone)]
pub(crate) struct Official {
    pub domain: String,
    pub labels: Vec<String>,
    pub brand: usize,
    /// [`lookalike_fold`] of the first label, when it is long enough to be compared that way.
    pub head_fold: Option<String>,
}

/// A brand alias as people write it in display names and local parts.
#[derive(Debug, Clone)]
pub(crate) struct AliasName {
    /// [`fold_key`] of the alias.
    pub folded: String,
    /// As written in the data file (ambiguous aliases only count with this case).
    pub written: String,
    pub brand: usize,
    pub ambiguous: bool,
}

/// Distinctive brand names looked for anywhere inside a host name
/// (`data/brand_host_tokens.txt`).
const BRAND_HOST_TOKENS_TEXT: &str = include_str!("../../data/brand_host_tokens.txt");

/// One distinctive brand token (`usps`, `wellsfargo`).
#[derive(Debug, Clone)]
pub(crate) struct HostToken {
    pub text: String,
    /// Whether it only counts as a whole label or hyphen-separated part (`=citi`).
    pub whole: bool,
    /// Index into [`Allowlist::brands`].
    pub brand: usize,
}

/// Brand names indexed for the URL and email checks. Built once with the detector.
#[derive(Debug, Default)]
pub(crate) struct HostIndex {
    pub labels: Vec<Label>,
    by_skeleton: HashMap<String, Vec<usize>>,
    pub officials: Vec<Official>,
    pub aliases: Vec<AliasName>,
    /// Distinctive brand tokens, for brands loaded with at least one official web domain.
    pub host_tokens: Vec<HostToken>,
    /// The texts of the labels that are not short, found inside a token in one pass.
    long_labels: Finder,
    /// The short labels by their text (they count only as a whole token).
    short_labels: HashMap<String, Vec<usize>>,
    /// The labels by their length in characters (a typo is at most one longer or shorter).
    by_chars: Vec<Vec<usize>>,
    /// The host tokens' texts, found inside a host label in one pass.
    token_finder: Finder,
    /// The officials by the first label of their domain, and by its look-alike fold.
    officials_by_head: HashMap<String, Vec<usize>>,
    officials_by_fold: HashMap<String, Vec<usize>>,
}

/// The kind of a single edit between two strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edit {
    /// One character replaced by another.
    Substitution(char, char),
    /// Two adjacent characters swapped.
    Transposition,
    /// One character added (relative to the brand label).
    Insertion,
    /// One character left out.
    Deletion,
    /// Look-alike letters (`q` for `g`, `1` for `l`), possibly with one swap or doubled letter.
    LookAlike,
}

/// The single edit that turns `brand` into `seen`, or `None` when they are equal or further
/// apart. Linear time.
pub(crate) fn one_edit(seen: &str, brand: &str) -> Option<Edit> {
    if seen.len().abs_diff(brand.len()) > 4 {
        return None; // more than one character apart, whatever their UTF-8 widths
    }
    if seen.is_ascii() && brand.is_ascii() {
        return one_edit_in(seen.as_bytes(), brand.as_bytes(), |b| char::from(*b));
    }
    let a: Vec<char> = seen.chars().take(MAX_TOKEN_LEN + 1).collect();
    let b: Vec<char> = brand.chars().take(MAX_TOKEN_LEN + 1).collect();
    one_edit_in(&a, &b, |c| *c)
}

/// [`one_edit`] on slices of bytes or characters, without allocating.
fn one_edit_in<T: PartialEq>(a: &[T], b: &[T], ch: impl Fn(&T) -> char) -> Option<Edit> {
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return None;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Equal => {
            let i = prefix;
            if a[i + 1..] == b[i + 1..] {
                return Some(Edit::Substitution(ch(&b[i]), ch(&a[i])));
            }
            if i + 1 < a.len() && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..] {
                return Some(Edit::Transposition);
            }
            None
        }
        std::cmp::Ordering::Greater => (a[prefix + 1..] == b[prefix..]).then_some(Edit::Insertion),
        std::cmp::Ordering::Less => (a[prefix..] == b[prefix + 1..]).then_some(Edit::Deletion),
    }
}

/// Pairs of characters that are easy to mistake for each other when reading a host name.
const VISUAL_PAIRS: &[(char, char)] = &[
    ('m', 'n'),
    ('q', 'g'),
    ('g', '9'),
    ('l', 'i'),
    ('l', '1'),
    ('i', '1'),
    ('i', 'j'),
    ('o', '0'),
    ('o', 'a'),
    ('c', 'e'),
    ('u', 'v'),
    ('v', 'w'),
    ('b', 'd'),
    ('p', 'q'),
    ('s', '5'),
    ('z', '2'),
    ('e', '3'),
    ('a', '4'),
    ('b', '6'),
    ('t', 'f'),
];

/// Whether a single edit is one a reader easily overlooks: a look-alike letter, or a doubled
/// or dropped double letter (`paypall`, `aple`).
fn is_visual_edit(seen: &str, brand: &str, edit: Edit) -> bool {
    match edit {
        Edit::Substitution(x, y) => VISUAL_PAIRS
            .iter()
            .any(|&(p, q)| (p, q) == (x, y) || (q, p) == (x, y)),
        Edit::Insertion => has_extra_double(seen, brand),
        Edit::Deletion => has_extra_double(brand, seen),
        Edit::Transposition | Edit::LookAlike => false,
    }
}

/// Whether `longer` is `shorter` with one letter doubled.
fn has_extra_double(longer: &str, shorter: &str) -> bool {
    let l: Vec<char> = longer.chars().collect();
    let prefix = l
        .iter()
        .zip(shorter.chars())
        .take_while(|(x, y)| **x == *y)
        .count();
    (prefix > 0 && l.get(prefix) == l.get(prefix - 1)) || l.get(prefix) == l.get(prefix + 1)
}

/// Maps each letter of a pair in [`VISUAL_PAIRS`] that is most often the stand-in to the
/// letter it stands for, so that several look-alike letters compare equal (`leqder` →
/// `legder`).
fn visual_fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'q' | '9' => 'g',
            '1' | 'i' => 'l',
            '0' => 'o',
            '5' => 's',
            '2' => 'z',
            '3' => 'e',
            '4' => 'a',
            '6' => 'b',
            'n' => 'm',
            'u' => 'v',
            c => c,
        })
        .collect()
}

/// Whether `seen` is a typo of `label` close enough to report: 8+ character brand names
/// allow any single edit; 6–7 character names and word-like names allow look-alike letters,
/// doubled letters and swapped neighbours; 5-character names only look-alike letters and
/// doubled letters. Short names never match.
#[cfg(test)]
pub(crate) fn typo_of(seen: &str, label: &Label) -> Option<Edit> {
    typo_of_folded(seen, &visual_fold(seen), label)
}

/// [`typo_of`] with `visual_fold(seen)` computed once by the caller.
fn typo_of_folded(seen: &str, seen_folded: &str, label: &Label) -> Option<Edit> {
    if label.strength == Strength::Short || seen.chars().count() < MIN_FUZZY_LEN {
        return None;
    }
    let len = label.chars;
    if let Some(edit) = one_edit(seen, &label.text) {
        let ok = match (label.strength, len) {
            (Strength::Strong, 8..) => true,
            (_, 6..) => edit == Edit::Transposition || is_visual_edit(seen, &label.text, edit),
            _ => is_visual_edit(seen, &label.text, edit),
        };
        if ok {
            return Some(edit);
        }
    }
    // Several look-alike letters, or look-alike letters plus one swap or doubled letter.
    let (a, b) = (seen_folded, label.visual.as_str());
    if a == b {
        return (seen != label.text).then_some(Edit::LookAlike);
    }
    match one_edit(a, b)? {
        Edit::Transposition if len >= 6 => Some(Edit::LookAlike),
        e @ (Edit::Insertion | Edit::Deletion) if is_visual_edit(a, b, e) => Some(Edit::LookAlike),
        _ => None,
    }
}

/// The characters of `s` as a set of 64 bits (a character's code point modulo 64).
fn char_mask(s: &str) -> u64 {
    s.chars().fold(0, |m, c| m | 1 << (u32::from(c) % 64))
}

/// Whether two strings with these [`char_mask`]s may be one edit apart (substitution, swap,
/// insertion or deletion): each then has at most one character the other lacks, so at most
/// one bit of its mask is missing from the other's. Shared bits of different characters
/// only let more pairs through, so the test never drops a real edit.
fn within_one_edit(a: u64, b: u64) -> bool {
    (a & !b).count_ones() <= 1 && (b & !a).count_ones() <= 1
}

/// Whether `s` is made of ASCII digits only (and not empty).
pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses `data/brand_host_tokens.txt`: `token brand-id` lines. Tokens of brands that are not
/// loaded (a caller replaced the default allowlists) or have no official web domain are left
/// out: without the brand's domains, "not official" cannot be said.
fn parse_host_tokens(text: &str, allowlist: &Allowlist) -> Vec<HostToken> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(token), Some(id)) = (words.next(), words.next()) else {
            continue;
        };
        let (text, whole) = match token.strip_prefix('=') {
            Some(t) => (t, true),
            None => (token, false),
        };
        let Some(brand) = allowlist
            .brands()
            .iter()
            .position(|b| b.id == id && !b.web_domains.is_empty())
        else {
            continue;
        };
        out.push(HostToken {
            text: text.to_string(),
            whole,
            brand,
        });
    }
    out
}

/// How a brand label sits inside a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Affixed {
    pub label: usize,
    /// The keyword glued to the brand name (`app` in `trustwalletapp`), if any.
    pub keyword: Option<String>,
}

impl HostIndex {
    /// Indexes every brand's official domains and ASCII aliases.
    pub(crate) fn build(allowlist: &Allowlist, domains: &Domains) -> HostIndex {
        let mut index = HostIndex::default();
        for (bi, brand) in allowlist.brands().iter().enumerate() {
            index.add_brand(bi, brand, domains);
        }
        index.host_tokens = parse_host_tokens(BRAND_HOST_TOKENS_TEXT, allowlist);
        index.long_labels = Finder::new(
            index
                .labels
                .iter()
                .enumerate()
                .filter(|(_, l)| l.strength != Strength::Short)
                .map(|(i, l)| (i, l.text.as_str())),
        );
        for (i, l) in index.labels.iter().enumerate() {
            if l.strength == Strength::Short {
                index
                    .short_labels
                    .entry(l.text.clone())
                    .or_default()
                    .push(i);
            }
        }
        index.token_finder = Finder::new(
            index
                .host_tokens
                .iter()
                .enumerate()
                .map(|(i, t)| (i, t.text.as_str())),
        );
        for (i, o) in index.officials.iter().enumerate() {
            index
                .officials_by_head
                .entry(o.labels[0].clone())
                .or_default()
                .push(i);
            if let Some(fold) = &o.head_fold {
                index
                    .officials_by_fold
                    .entry(fold.clone())
                    .or_default()
                    .push(i);
            }
        }
        for (i, l) in index.labels.iter().enumerate() {
            if index.by_chars.len() <= l.chars {
                index.by_chars.resize(l.chars + 1, Vec::new());
            }
            index.by_chars[l.chars].push(i);
        }
        index
    }

    fn add_brand(&mut self, bi: usize, brand: &Brand, domains: &Domains) {
        let ambiguous: Vec<String> = brand.ambiguous.iter().map(|a| fold_key(a)).collect();
        let alias_keys: Vec<String> = std::iter::once(brand.name.as_str())
            .chain(brand.aliases.iter().map(|(_, a)| a.as_str()))
            .map(fold_key)
            .collect();
        for alias in std::iter::once(&brand.name).chain(brand.aliases.iter().map(|(_, a)| a)) {
            let folded = fold_key(alias);
            if folded.is_empty()
                || self
                    .aliases
                    .iter()
                    .any(|a| a.folded == folded && a.brand == bi)
            {
                continue;
            }
            self.aliases.push(AliasName {
                ambiguous: ambiguous.contains(&folded),
                folded,
                written: alias.clone(),
                brand: bi,
            });
        }
        let has_domains = !brand.web_domains.is_empty() || !brand.email_domains.is_empty();
        let mut seen_domains = Vec::new();
        for domain in brand.web_domains.iter().chain(&brand.email_domains) {
            // A brand's own host under a shared domain (`pay.weixin.qq.com`) gives no name to
            // look for: its registrable label ("qq") is somebody else's.
            if seen_domains.contains(domain)
                || domains
                    .split(domain)
                    .is_some_and(|p| p.registrable != domain.as_str())
            {
                continue;
            }
            seen_domains.push(domain.clone());
            let labels: Vec<String> = domain.split('.').map(str::to_string).collect();
            let head_fold =
                (labels[0].chars().count() >= MIN_FUZZY_LEN).then(|| lookalike_fold(&labels[0]));
            self.officials.push(Official {
                domain: domain.clone(),
                labels,
                brand: bi,
                head_fold,
            });
            let Some(parts) = domains.split(domain) else {
                continue;
            };
            let text = parts.label().to_string();
            let is_alias = alias_keys.contains(&text);
            let len = text.chars().count();
            let strength = if len < MIN_FUZZY_LEN {
                Strength::Short
            } else if ambiguous.contains(&text) || (!is_alias && len < 7) {
                Strength::Word
            } else {
                Strength::Strong
            };
            self.add_label(text, bi, strength, Source::Domain, is_alias, true);
        }
        for key in &alias_keys {
            let ascii = key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
            if !ascii || key.chars().count() < MIN_FUZZY_LEN || ambiguous.contains(key) {
                continue;
            }
            self.add_label(
                key.clone(),
                bi,
                Strength::Strong,
                Source::Alias,
                true,
                has_domains,
            );
        }
    }

    fn add_label(
        &mut self,
        text: String,
        brand: usize,
        strength: Strength,
        source: Source,
        is_alias: bool,
        brand_has_domains: bool,
    ) {
        if self
            .labels
            .iter()
            .any(|l| l.text == text && l.brand == brand)
        {
            return;
        }
        let i = self.labels.len();
        let skeleton = lookalike_fold(&text);
        let visual = visual_fold(&text);
        self.by_skeleton
            .entry(skeleton.clone())
            .or_default()
            .push(i);
        self.labels.push(Label {
            brand,
            strength,
            source,
            is_alias,
            brand_has_domains,
            chars: text.chars().count(),
            masks: (char_mask(&text), char_mask(&visual)),
            visual,
            text,
        });
    }

    /// Labels whose skeleton equals this folded text.
    pub(crate) fn by_skeleton(&self, folded: &str) -> &[usize] {
        self.by_skeleton.get(folded).map_or(&[], Vec::as_slice)
    }

    /// Brand labels inside a token with only a keyword or digits around them
    /// (`trustwalletapp`, `binance2024`, `supportcoinbase`). Short labels must be the whole
    /// token. Substrings with other text around them (`revolution`, `paypalobjects`) do not
    /// count: they are too often the brand's own or unrelated names.
    pub(crate) fn affixed(&self, token: &str) -> Vec<Affixed> {
        let mut out = Vec::new();
        if token.len() > MAX_TOKEN_LEN {
            return out;
        }
        if let Some(short) = self.short_labels.get(token) {
            out.extend(short.iter().map(|&label| Affixed {
                label,
                keyword: None,
            }));
        }
        // Each long label at its first occurrence in the token.
        self.long_labels.first_occurrences(token, |p, at| {
            for &i in &self.long_labels.items[p] {
                let label = &self.labels[i];
                let (before, after) = (&token[..at], &token[at + label.text.len()..]);
                let part_ok = |p: &str| p.is_empty() || is_digits(p) || BRAND_KEYWORDS.contains(&p);
                if part_ok(before) && part_ok(after) {
                    let keyword = [before, after]
                        .into_iter()
                        .find(|p| BRAND_KEYWORDS.contains(p))
                        .map(str::to_string);
                    out.push(Affixed { label: i, keyword });
                }
            }
        });
        out.sort_by_key(|a| a.label);
        out
    }

    /// The host tokens found in a host label, in the order of `host_tokens`: a whole token
    /// must be the label or one of its hyphen- or underscore-separated parts.
    pub(crate) fn host_tokens_in(&self, label: &str) -> Vec<usize> {
        let mut out = Vec::new();
        self.token_finder.first_occurrences(label, |p, _| {
            for &i in &self.token_finder.items[p] {
                let t = &self.host_tokens[i];
                if !t.whole || label.split(['-', '_']).any(|part| part == t.text) {
                    out.push(i);
                }
            }
        });
        out.sort_unstable();
        out
    }

    /// The officials whose first domain label is `text`, or whose first label's look-alike
    /// fold is `fold()` (computed only when some official has such a fold).
    pub(crate) fn officials_headed_by(
        &self,
        text: &str,
        fold: impl FnOnce() -> String,
        out: &mut Vec<usize>,
    ) {
        out.clear();
        if let Some(v) = self.officials_by_head.get(text) {
            out.extend(v);
        }
        if !self.officials_by_fold.is_empty() {
            if let Some(v) = self.officials_by_fold.get(&fold()) {
                out.extend(v);
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Labels this token is a typo of.
    pub(crate) fn typos(&self, token: &str) -> Vec<(usize, Edit)> {
        let n = token.chars().count();
        if !(MIN_FUZZY_LEN..=MAX_TOKEN_LEN).contains(&n) {
            return Vec::new();
        }
        let folded = visual_fold(token);
        let masks = (char_mask(token), char_mask(&folded));
        let mut out: Vec<(usize, Edit)> = (n - 1..=n + 1)
            .filter_map(|len| self.by_chars.get(len))
            .flatten()
            .map(|&i| (i, &self.labels[i]))
            .filter(|(_, l)| {
                within_one_edit(masks.0, l.masks.0) || within_one_edit(masks.1, l.masks.1)
            })
            .filter_map(|(i, l)| typo_of_folded(token, &folded, l).map(|e| (i, e)))
            .collect();
        out.sort_unstable_by_key(|&(i, _)| i);
        out
    }

    /// The brands' aliases, for display names and local parts.
    pub(crate) fn aliases(&self) -> &[AliasName] {
        &self.aliases
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mask_test_keeps_every_single_edit() {
        let letters: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789-аеоі"
            .chars()
            .collect();
        for word in ["paypal", "metamask", "coinbase", "trustwallet", "аpple"] {
            let w: Vec<char> = word.chars().collect();
            let mut edits: Vec<String> = Vec::new();
            for i in 0..=w.len() {
                for &c in &letters {
                    let mut ins = w.clone();
                    ins.insert(i, c);
                    edits.push(ins.iter().collect());
                    if i < w.len() {
                        let mut sub = w.clone();
                        sub[i] = c;
                        edits.push(sub.iter().collect());
                    }
                }
                if i < w.len() {
                    let mut del = w.clone();
                    del.remove(i);
                    edits.push(del.iter().collect());
                }
                if i + 1 < w.len() {
                    let mut swap = w.clone();
                    swap.swap(i, i + 1);
                    edits.push(swap.iter().collect());
                }
            }
            for e in &edits {
                assert!(
                    within_one_edit(char_mask(e), char_mask(word)),
                    "{e} is one edit from {word}"
                );
            }
        }
        assert!(!within_one_edit(
            char_mask("wellsfargo"),
            char_mask("paypal")
        ));
    }

    #[test]
    fn single_edits() {
        assert_eq!(
            one_edit("paypak", "paypal"),
            Some(Edit::Substitution('l', 'k'))
        );
        assert_eq!(one_edit("legder", "ledger"), Some(Edit::Transposition));
        assert_eq!(one_edit("paypall", "paypal"), Some(Edit::Insertion));
        assert_eq!(one_edit("metamsk", "metamask"), Some(Edit::Deletion));
        assert_eq!(one_edit("paypal", "paypal"), None);
        assert_eq!(one_edit("pyapla", "paypal"), None);
        assert_eq!(one_edit("ab", "abcd"), None);
        assert_eq!(
            one_edit("pаypal", "paypal"),
            Some(Edit::Substitution('a', 'а'))
        );
    }

    fn label(text: &str, strength: Strength) -> Label {
        Label {
            text: text.into(),
            brand: 0,
            strength,
            source: Source::Domain,
            is_alias: true,
            brand_has_domains: true,
            masks: (char_mask(text), char_mask(&visual_fold(text))),
            visual: visual_fold(text),
            chars: text.chars().count(),
        }
    }

    #[test]
    fn typos_by_strength() {
        let metamask = label("metamask", Strength::Strong);
        assert!(typo_of("metamsk", &metamask).is_some());
        assert!(typo_of("metamaskk", &metamask).is_some());
        let binance = label("binance", Strength::Strong);
        assert!(typo_of("finance", &binance).is_none()); // b/f is not a look-alike
        assert!(typo_of("binnance", &binance).is_some()); // doubled letter
        let revolut = label("revolut", Strength::Strong);
        assert!(typo_of("revolt", &revolut).is_none());
        let ledger = label("ledger", Strength::Word);
        assert_eq!(typo_of("1eqder", &ledger), Some(Edit::LookAlike));
        assert!(typo_of("legder", &ledger).is_some());
        assert!(typo_of("leqder", &ledger).is_some());
        assert!(typo_of("hedger", &ledger).is_none());
        let kraken = label("kraken", Strength::Word);
        assert!(typo_of("krakem", &kraken).is_some());
        let venmo = label("venmo", Strength::Strong);
        assert!(typo_of("venom", &venmo).is_none());
        let apple = label("apple", Strength::Word);
        assert!(typo_of("apply", &apple).is_none());
        assert!(typo_of("appie", &apple).is_some()); // i for l
        let jd = label("jd", Strength::Short);
        assert!(typo_of("jdd", &jd).is_none());
    }

    #[test]
    fn every_brand_host_token_names_a_default_brand() {
        let det = crate::knowledge::Knowledge::embedded();
        let lines = BRAND_HOST_TOKENS_TEXT
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(det.hosts.host_tokens.len(), lines);
        let usps = &det.hosts.host_tokens[0];
        assert_eq!(usps.text, "usps");
        assert!(!usps.whole);
        assert_eq!(det.allowlist.brands()[usps.brand].id, "usps");
        assert!(det
            .hosts
            .host_tokens
            .iter()
            .any(|t| t.text == "citi" && t.whole));
    }

    #[test]
    fn keywords() {
        assert!(is_brand_keyword("support"));
        assert!(is_brand_keyword("wallte"));
        assert!(is_brand_keyword("suport"));
        assert!(!is_brand_keyword("online"));
        assert!(!is_brand_keyword("apl"));
    }
}
