//! Evaluation: compiled rules × a deal → outcomes with evidence (SPEC §3).

pub(crate) mod approvals;
pub mod compiled;
pub mod conversion;
pub mod evidence;
pub mod expr;
pub mod holdings;
pub mod near_miss;
pub mod note;
pub mod outcome;
pub mod precedence;
mod showing;
pub mod shown;
pub mod trace;
pub mod value;
pub mod waiver;
mod window;

#[cfg(test)]
mod tests;

pub(crate) use window::not_in_effect;

use jiff::civil::Date;

use crate::deal::tree::{Deal, NodeValue};
use crate::deal::DealError;
use crate::resolve::ir::{Expr, Rule, Window};
use crate::resolve::Policy;
use std::rc::Rc;

use crate::value::Scalar;
use std::sync::Arc;

use expr::{Collect, Evaluator, Fact, Facts, Judgement, Quick, Tv, WithEvidence};
use note::Note;
use note::Reason;
use outcome::{Evidence, Help, Message, Outcome, RuleResult};
use precedence::Overridden;
use value::{Val, Why};

/// Evaluate every rule of `policy` on `deal`; the results in policy order. `proposed` and
/// `reported` rules do not count (SPEC §12): see [`evaluate_with_warnings`].
pub fn evaluate(policy: &Policy, deal: &Deal, as_of: Option<Date>) -> Vec<RuleResult> {
    evaluate_with_warnings(policy, deal, as_of, false).0
}

/// [`evaluate`], counting `proposed` and `reported` rules when `include_proposed` (SPEC §12),
/// with the deal warnings found on the way: the near misses between deal strings and policy
/// literals (`covenant::deal::near-miss`, SPEC §2.6), and the approvals that name a rule and
/// do not exempt it (`covenant::waiver::…`, SPEC §10).
///
/// Rules are evaluated in [`Policy::order`], each after the rules that override it (SPEC
/// §14); the results are in policy order.
pub fn evaluate_with_warnings(
    policy: &Policy,
    deal: &Deal,
    as_of: Option<Date>,
    include_proposed: bool,
) -> (Vec<RuleResult>, Vec<DealError>) {
    evaluate_by(
        policy,
        deal,
        as_of,
        include_proposed,
        compiled::Memo::new(policy),
    )
}

/// [`evaluate_with_warnings`] with the evaluator alone, without the compiled quick pass: for
/// tests that check the two give the same reports.
pub fn evaluate_uncompiled(
    policy: &Policy,
    deal: &Deal,
    as_of: Option<Date>,
    include_proposed: bool,
) -> (Vec<RuleResult>, Vec<DealError>) {
    evaluate_by(policy, deal, as_of, include_proposed, compiled::Memo::off())
}

fn evaluate_by<'d>(
    policy: &'d Policy,
    deal: &'d Deal,
    as_of: Option<Date>,
    include_proposed: bool,
    mut quick: compiled::Memo<'d>,
) -> (Vec<RuleResult>, Vec<DealError>) {
    // One evaluator (and one cache of definitions), made when a rule first needs it (see
    // [`Lazy`]); evidence is collected only on a second pass over a rule that did not simply
    // pass.
    let mut ev = Lazy::new(policy, deal);
    let approvals = ev.deal_approvals();
    let mut waivers = approvals::unknown_rules(policy, &approvals, &deal.source);
    let mut overriding = precedence::Overriding::default();
    // Results go straight into place when rules are evaluated in policy order (no rule
    // overrides another), else into slots by index.
    let in_order = policy.order.iter().copied().eq(0..policy.rules.len());
    let mut results: Vec<RuleResult> = Vec::with_capacity(policy.rules.len());
    let mut slots: Vec<Option<RuleResult>> = match in_order {
        true => Vec::new(),
        false => vec![None; policy.rules.len()],
    };
    for &index in &policy.order {
        let Some(rule) = policy.rules.get(index) else {
            continue;
        };
        let counts = precedence::status_counts(rule.status, include_proposed);
        let overridden = match rule.overridden_by.is_empty() {
            true => Overridden::No,
            false => overriding.of(policy, rule),
        };
        let mut r = match &overridden {
            Overridden::By(by) => precedence::overridden(Arc::clone(by)),
            Overridden::No => match plainly_decided(&mut ev, &mut quick, rule, as_of) {
                Plainly::Pass => result(Outcome::Pass, Message::Holds),
                Plainly::NotApplicable(m) => result(Outcome::NotApplicable, m),
                // What `evaluated` gives a rule whose quick pass fails: its evidence pass.
                Plainly::Fails => {
                    rule_result::<WithEvidence, _>(&mut ev, Some(&mut quick), rule, as_of)
                }
                Plainly::Open => evaluated(&mut ev, &mut quick, rule, as_of, &mut waivers),
            },
            Overridden::Maybe(by) => {
                let r = evaluated(&mut ev, &mut quick, rule, as_of, &mut waivers);
                precedence::may_be_overridden(r, by.clone())
            }
        };
        r.rule = index;
        r.counted = counts && !matches!(overridden, Overridden::By(_));
        if !rule.overrides.is_empty() {
            let applies = if r.counted {
                applies(&mut ev, rule, as_of)
            } else {
                Tv::False
            };
            overriding.set(index, counts, &overridden, applies);
        }
        if in_order {
            results.push(r);
        } else if let Some(slot) = slots.get_mut(index) {
            *slot = Some(r);
        }
    }
    if !in_order {
        results = slots.into_iter().flatten().collect();
    }
    // No evaluator, no near miss: the compiled forms decide nothing at a string that nearly
    // matches a literal (see [`compiled`]).
    let mut warnings = match &ev.ev {
        Some(ev) => ev.near_misses.borrow().warnings(&deal.source),
        None => Vec::new(),
    };
    warnings.extend(waivers);
    (results, warnings)
}

/// Where the evaluation of a rule gets its evaluator: an [`Evaluator`] itself, or [`Lazy`],
/// which makes one only when a rule needs it.
pub(crate) trait Source<'d> {
    fn policy(&self) -> &'d Policy;
    fn deal(&self) -> &'d Deal;
    /// The evaluator, made now if it is not made yet.
    fn ev(&mut self) -> &mut Evaluator<'d>;
    /// The evaluator, if it is made.
    fn made(&mut self) -> Option<&mut Evaluator<'d>>;
    /// The deal's approvals (SPEC §10).
    fn deal_approvals(&mut self) -> Rc<Vec<approvals::Approval<'d>>>;
    /// Set the evaluation date of the rule being evaluated (see
    /// [`Evaluator::set_evaluation_date`]).
    fn set_date(&mut self, date: Option<Date>, why: Option<Rc<Why>>);
}

impl<'d> Source<'d> for Evaluator<'d> {
    fn policy(&self) -> &'d Policy {
        self.policy
    }
    fn deal(&self) -> &'d Deal {
        self.deal
    }
    fn ev(&mut self) -> &mut Evaluator<'d> {
        self
    }
    fn made(&mut self) -> Option<&mut Evaluator<'d>> {
        Some(self)
    }
    fn deal_approvals(&mut self) -> Rc<Vec<approvals::Approval<'d>>> {
        Evaluator::approvals(self)
    }
    fn set_date(&mut self, date: Option<Date>, why: Option<Rc<Why>>) {
        Evaluator::set_evaluation_date(self, date, why);
    }
}

/// The evaluator of one deal, made when a rule first needs it: for a condition the compiled
/// quick pass does not decide, the evidence pass of a rule that does not simply pass, a
/// computed window date, an approval that names a rule, an overriding rule. Most deals of a
/// policy the quick pass covers never need one. Once made, it is told the evaluation date of
/// the rule being evaluated, and it shares the approvals read already.
pub(crate) struct Lazy<'d> {
    policy: &'d Policy,
    deal: &'d Deal,
    approvals: Rc<Vec<approvals::Approval<'d>>>,
    date: Option<Date>,
    why: Option<Rc<Why>>,
    ev: Option<Evaluator<'d>>,
}

thread_local! {
    /// The approvals of a deal that has none, shared: most deals have none, and a box for an
    /// empty list costs an allocation and a free a deal.
    static NO_APPROVALS: Rc<Vec<approvals::Approval<'static>>> = Rc::new(Vec::new());
}

impl<'d> Lazy<'d> {
    pub(crate) fn new(policy: &'d Policy, deal: &'d Deal) -> Lazy<'d> {
        let read = approvals::read(&policy.schema, deal);
        let approvals = match read.is_empty() {
            true => NO_APPROVALS.with(Rc::clone),
            false => Rc::new(read),
        };
        Lazy {
            policy,
            deal,
            approvals,
            date: None,
            why: None,
            ev: None,
        }
    }
}

impl<'d> Source<'d> for Lazy<'d> {
    fn policy(&self) -> &'d Policy {
        self.policy
    }
    fn deal(&self) -> &'d Deal {
        self.deal
    }
    fn ev(&mut self) -> &mut Evaluator<'d> {
        let (policy, deal) = (self.policy, self.deal);
        let (approvals, date, why) = (&self.approvals, self.date, &self.why);
        self.ev.get_or_insert_with(|| {
            let mut ev = Evaluator::new(policy, deal);
            let _ = ev.approvals.set(Rc::clone(approvals));
            ev.set_evaluation_date(date, why.clone());
            ev
        })
    }
    fn made(&mut self) -> Option<&mut Evaluator<'d>> {
        self.ev.as_mut()
    }
    fn deal_approvals(&mut self) -> Rc<Vec<approvals::Approval<'d>>> {
        Rc::clone(&self.approvals)
    }
    fn set_date(&mut self, date: Option<Date>, why: Option<Rc<Why>>) {
        if let Some(ev) = &mut self.ev {
            ev.set_evaluation_date(date, why.clone());
        }
        self.date = date;
        self.why = why;
    }
}

/// The truth of one of a rule's conditions (see [`compiled::clause_truth`]); with no
/// evaluator made yet (the plain scope, where compiled forms apply), the compiled form's
/// truth, the evaluator made only when the form is not certain.
// Inlined into `all`, as it was before the forms that need the evaluator: out of line, its
// call costs jv-baseline about 1% of its instructions.
#[inline(always)]
fn clause_truth<'d, C: Collect, E: Source<'d>>(
    ev: &mut E,
    memo: Option<&mut compiled::Memo<'d>>,
    form: Option<&'d compiled::form::Cond>,
    e: &Expr,
) -> Judgement<'d, C> {
    if form.is_some_and(compiled::form::Cond::needs_evaluator) {
        make_evaluator(ev);
    }
    if let Some(ev) = ev.made() {
        return compiled::clause_truth::<C>(ev, memo, form, e);
    }
    if !C::FACTS {
        if let (Some(memo), Some(form)) = (memo, form) {
            if let Some(tv) = memo.truth(ev.deal(), None, form) {
                return Judgement::of(tv);
            }
        }
    }
    compiled::clause_truth::<C>(ev.ev(), None, None, e)
}

/// Make the evaluator for a compiled form that reads what it keeps (out of line: the usual
/// clause needs no evaluator, and [`clause_truth`] stays small).
#[cold]
#[inline(never)]
fn make_evaluator<'d, E: Source<'d>>(ev: &mut E) {
    ev.ev();
}

/// The evidence of `facts` ([`evidence::evidence_at`]); none, and no evaluator made, when
/// there are no facts.
fn evidence_at<'d, E: Source<'d>>(
    ev: &mut E,
    facts: &[Fact<'_>],
    want_held: Option<bool>,
) -> Vec<Evidence> {
    if facts.is_empty() {
        return Vec::new();
    }
    let ev = ev.ev();
    evidence::evidence_at(&ev.policy.schema, &mut ev.locator, facts, want_held)
}

/// One rule's result: a quick truth-only pass (compiled where it can be, see [`compiled`]),
/// then, for an outcome that needs it, a second pass that gathers the evidence; the warnings
/// of the approvals that name the rule and do not exempt it (SPEC §10) go to `waivers`.
fn evaluated<'d>(
    ev: &mut Lazy<'d>,
    memo: &mut compiled::Memo<'d>,
    rule: &Rule,
    as_of: Option<Date>,
    waivers: &mut Vec<DealError>,
) -> RuleResult {
    let quick = rule_result::<Quick, _>(ev, Some(memo), rule, as_of);
    // Only approvals that name the rule give warnings or notes (`approvals::warnings`).
    let named = ev.approvals.iter().any(|a| a.names(&rule.id));
    let judged = named.then(|| approvals::warnings(ev.ev(), rule, &quick));
    // Passes and not-applicable outcomes need no evidence, except an exemption's note.
    let mut r = if quick.outcome == Outcome::NotApplicable
        || (quick.outcome == Outcome::Pass && quick.exempt.is_none())
    {
        quick
    } else {
        rule_result::<WithEvidence, _>(ev, Some(memo), rule, as_of)
    };
    if let Some(judged) = judged {
        waivers.extend(judged.note_on(&mut r));
    }
    r
}

/// What the compiled forms decide alone of a rule (see [`plainly_decided`]).
#[derive(Debug)]
enum Plainly {
    /// A pass that holds: the result [`evaluated`] gives.
    Pass,
    /// Not applicable, so: the result [`evaluated`] gives.
    NotApplicable(Message),
    /// The quick pass of [`evaluated`] fails: its evidence pass gives the result.
    Fails,
    /// Anything else: [`evaluated`] evaluates the rule from the start.
    Open,
}

/// What the compiled forms decide alone of a rule with no `on`, `unless` or overriding, on a
/// deal with no approval, where each clause read has a compiled form. The steps are those of
/// [`rule_outcome`] in the quick mode: the window on the rule's date (outside it: not
/// applicable), the `when` clauses in order up to the first false one (not applicable), then
/// the `require` clauses in order: all true, a pass; true up to a false one, the quick pass
/// fails (it stops at that clause too, so it reads nothing the evaluator would). Anything else
/// (no date for the window, a clause without a form, or that its form leaves undecided or
/// unknown) is left open, and [`evaluated`] evaluates the rule from the start, reading again
/// what this read (the forms' caches hold what a second reading gives).
///
/// A form that needs no evaluator reads none and no evaluation date. For one that does (a
/// look-through, a total per bloc, a conversion, `entities`), the deal's evaluator is made if
/// it is not yet and given the rule's date, as [`rule_outcome`] gives it; with no date known,
/// the rule is left open. Otherwise the date is not set: every rule evaluated in full sets its
/// own date first, and nothing else reads it.
fn plainly_decided<'d>(
    ev: &mut Lazy<'d>,
    memo: &mut compiled::Memo<'d>,
    rule: &Rule,
    as_of: Option<Date>,
) -> Plainly {
    if rule.on.is_some()
        || !rule.unless.is_empty()
        || !rule.overrides.is_empty()
        || !ev.approvals.is_empty()
        || ev.ev.as_ref().is_some_and(|e| !e.in_plain_scope())
    {
        return Plainly::Open;
    }
    let Some(forms) = memo.forms(ev.policy, rule) else {
        return Plainly::Open;
    };
    let deal = ev.deal;
    if let Some(window) = rule.window {
        // What `window::outcome` gives for a rule without `on` (no evidence); an unknown date
        // (no `date` in the deal) is left to it.
        let Some(date) = plain_rule_date(ev.policy, deal, as_of) else {
            return Plainly::Open;
        };
        if let InWindow::Outside(on) = in_window(window, Some(date)) {
            let message = window::not_in_effect(rule, window, on, as_of.is_some());
            return Plainly::NotApplicable(message);
        }
    }
    let mut dated = false;
    let mut truth = |form: &'d Option<compiled::form::Cond>| {
        let form = form.as_ref()?;
        if form.needs_evaluator() {
            return truth_read_by_evaluator(ev, memo, form, as_of, &mut dated);
        }
        memo.truth(deal, None, form)
    };
    for (i, form) in forms.when.iter().enumerate() {
        match truth(form) {
            Some(Tv::True) => {}
            Some(Tv::False) => {
                let failed = rule.when.get(i).map(|c| c.text.clone());
                return Plainly::NotApplicable(Message::WhenFalse(failed));
            }
            Some(Tv::Unknown) | None => return Plainly::Open,
        }
    }
    for form in &forms.require {
        match truth(form) {
            Some(Tv::True) => {}
            Some(Tv::False) => return Plainly::Fails,
            Some(Tv::Unknown) | None => return Plainly::Open,
        }
    }
    Plainly::Pass
}

/// The date of a rule without `on` ([`rule_date`]): `--as-of`, else the deal's `date`; None
/// when it is unknown.
fn plain_rule_date(policy: &Policy, deal: &Deal, as_of: Option<Date>) -> Option<Date> {
    as_of.or_else(|| deal_date(policy, deal))
}

/// The truth of `form`, a compiled form that reads the deal's evaluator, for
/// [`plainly_decided`]: read as the full path reads it, with the evaluator made now if it is
/// not yet, and told the rule's date first (`dated`: told already; a conversion reads it).
/// None, leaving the rule open, when the date is unknown. Out of line: the usual form needs
/// no evaluator, and the caller's closure stays small enough to inline.
#[inline(never)]
fn truth_read_by_evaluator<'d>(
    ev: &mut Lazy<'d>,
    memo: &mut compiled::Memo<'d>,
    form: &'d compiled::form::Cond,
    as_of: Option<Date>,
    dated: &mut bool,
) -> Option<Tv> {
    if !*dated {
        let date = plain_rule_date(ev.policy, ev.deal, as_of)?;
        ev.set_date(Some(date), None);
        *dated = true;
    }
    let deal = ev.deal;
    memo.truth(deal, Some(ev.ev()), form)
}

/// Whether `rule` applies (SPEC §14: its window holds and every `when` is true), read from
/// the outcome of the rule without its requirements and exemptions, so that the window is
/// tested exactly as [`rule_outcome`] tests it: not applicable is false, a pass true, and
/// incomplete (no date, a `when` unknown) unknown.
fn applies(ev: &mut Lazy<'_>, rule: &Rule, as_of: Option<Date>) -> Tv {
    let guard = Rule {
        require: Vec::new(),
        unless: Vec::new(),
        ..rule.clone()
    };
    match rule_outcome::<Quick, _>(ev, None, &guard, as_of).outcome {
        Outcome::NotApplicable => Tv::False,
        Outcome::Pass => Tv::True,
        Outcome::Fail | Outcome::Incomplete => Tv::Unknown,
    }
}

/// The outcome of one rule by the steps of SPEC §3.1, the approvals of SPEC §10 included
/// (step 3, after the rule's `unless` clauses); `memo`: the deal's compiled quick pass, for a
/// truth-only pass that may use it.
pub(crate) fn rule_result<'d, C: Collect, E: Source<'d>>(
    ev: &mut E,
    memo: Option<&mut compiled::Memo<'d>>,
    rule: &Rule,
    as_of: Option<Date>,
) -> RuleResult {
    let r = rule_outcome::<C, E>(ev, memo, rule, as_of);
    // What `approvals::apply` returns unchanged, without making an evaluator for it.
    if r.outcome == Outcome::NotApplicable
        || r.exempt.is_some()
        || rule.waivable.is_none()
        || ev.deal_approvals().is_empty()
    {
        return r;
    }
    approvals::apply(ev.ev(), rule, r)
}

/// The deal's `date`, when the schema has one and it is set.
pub(crate) fn deal_date(policy: &Policy, deal: &Deal) -> Option<Date> {
    let index = policy.date_field?;
    match &deal.root.field(index)?.value {
        NodeValue::Scalar(Scalar::Date(d)) => Some(*d),
        _ => None,
    }
}

/// A rule's evaluation date (SPEC §3.1, §9): `--as-of` when given, else the date D its window
/// tests (the deal's `date`, or its `on D`); why it is unknown when D is. With `--as-of`, D is
/// not read.
pub(crate) fn rule_date<'d, E: Source<'d>>(
    ev: &mut E,
    rule: &Rule,
    as_of: Option<Date>,
) -> Result<Date, Rc<Why>> {
    let Some(on) = &rule.on else {
        return plain_rule_date(ev.policy(), ev.deal(), as_of).ok_or_else(|| {
            Rc::new(Why {
                path: Some("date".into()),
                ..value::why(Reason::Missing {
                    field: "date".into(),
                })
            })
        });
    };
    if let Some(d) = as_of {
        return Ok(d);
    }
    match ev.ev().value(on) {
        Val::Scalar(Scalar::Date(d), _) => Ok(d),
        Val::Unknown(w) => Err(w),
        _ => Err(Rc::new(value::why(Reason::CannotCompare))),
    }
}

/// Where the evaluation date falls in a rule's effective window `[from, until)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InWindow {
    NoDate,
    Outside(Date),
    Inside(Date),
}

pub fn in_window(w: Window, date: Option<Date>) -> InWindow {
    match date {
        None => InWindow::NoDate,
        Some(d) if d < w.from || w.until.is_some_and(|u| d >= u) => InWindow::Outside(d),
        Some(d) => InWindow::Inside(d),
    }
}

fn result(outcome: Outcome, message: Message) -> RuleResult {
    RuleResult::plain(outcome, message)
}

/// Kleene conjunction of clauses, with the indices of the clauses that were false (only the
/// first when no facts are kept: it decides) and, when facts are kept, of those unknown.
/// `forms`: the clauses' compiled forms, when the quick pass has them. `when`: the clauses are
/// a rule's `when`, whose true clauses' facts are never shown (see [`true_without_facts`]).
fn all<'d, C: Collect, E: Source<'d>>(
    ev: &mut E,
    mut memo: Option<&mut compiled::Memo<'d>>,
    clauses: &[Expr],
    forms: Option<&'d [Option<compiled::form::Cond>]>,
    when: bool,
) -> (Judgement<'d, C>, Vec<usize>, Vec<usize>) {
    let mut acc = Judgement::of(Tv::True);
    let mut false_at = Vec::new();
    let mut unknown_at = Vec::new();
    for (i, c) in clauses.iter().enumerate() {
        let form = forms.and_then(|f| f.get(i)?.as_ref());
        let j = if C::FACTS && when && true_without_facts(ev, memo.as_deref_mut(), form) {
            Judgement::of(Tv::True)
        } else {
            clause_truth::<C, E>(ev, memo.as_deref_mut(), form, c)
        };
        match j.tv {
            Tv::False => false_at.push(i),
            Tv::Unknown if C::FACTS => unknown_at.push(i),
            _ => {}
        }
        acc = expr::and(acc, j);
        if acc.tv == Tv::False && !C::FACTS {
            break;
        }
    }
    (acc, false_at, unknown_at)
}

/// Whether the compiled form of a `when` clause finds it true, for a pass that keeps facts: the
/// clause is then true without them. A true `when` clause's facts are never shown: `and` keeps
/// those of the side that decides (a false or unknown clause), and a rule whose `when` holds
/// shows its `require`'s. The evaluator's one other effect is the near misses it records
/// (SPEC §2.6): so only a form that tests every value the evaluator would read, and finds no
/// near miss among them ([`compiled::form::Cond::tests_all_when_true`]: a quantifier or an
/// `or` stops at the first element that decides, while the evaluator keeping facts reads them
/// all), is taken at its word. False when there is no such form, or it does not answer.
fn true_without_facts<'d, E: Source<'d>>(
    ev: &mut E,
    memo: Option<&mut compiled::Memo<'d>>,
    form: Option<&'d compiled::form::Cond>,
) -> bool {
    let (Some(memo), Some(form)) = (memo, form.filter(|f| f.tests_all_when_true())) else {
        return false;
    };
    let deal = ev.deal();
    // Such a form reads no evaluator (`tests_all_when_true` forms read the root alone).
    let tv = match ev.made() {
        Some(ev) if ev.in_plain_scope() => memo.truth(deal, Some(ev), form),
        Some(_) => None,
        None => memo.truth(deal, None, form),
    };
    tv == Some(Tv::True)
}

/// The outcome of one rule by the steps of SPEC §3.1; `memo`: the deal's compiled quick pass,
/// for a truth-only pass that may use it, and for a pass keeping facts the truth of its `when`
/// clauses where their forms answer alone ([`true_without_facts`]).
pub(crate) fn rule_outcome<'d, C: Collect, E: Source<'d>>(
    ev: &mut E,
    mut memo: Option<&mut compiled::Memo<'d>>,
    rule: &Rule,
    as_of: Option<Date>,
) -> RuleResult {
    let forms = memo.as_deref().and_then(|m| m.forms(ev.policy(), rule));
    let date = rule_date(ev, rule, as_of);
    ev.set_date(date.as_ref().ok().copied(), date.as_ref().err().cloned());
    if let Some(window) = rule.window {
        if let Some(r) = window::outcome(ev, rule, window, &date, as_of.is_some()) {
            return r;
        }
    }
    let (when, when_false, when_unknown) = all::<C, E>(
        ev,
        memo.as_deref_mut(),
        &rule.when,
        forms.map(|f| f.when.as_slice()),
        true,
    );
    if when.tv == Tv::False {
        let failed = when_false.first().and_then(|&i| rule.when.get(i));
        let message = Message::WhenFalse(failed.map(|c| c.text.clone()));
        return result(Outcome::NotApplicable, message);
    }
    let mut unknown_exemptions = Vec::new();
    for (i, u) in rule.unless.iter().enumerate() {
        let form = forms.and_then(|f| f.unless.get(i)?.as_ref());
        let j = clause_truth::<C, E>(ev, memo.as_deref_mut(), form, u);
        match j.tv {
            Tv::True => {
                let mut r = result(Outcome::Pass, Message::Exempt);
                r.exempt = Some(u.text.clone());
                r.evidence = evidence_at(ev, j.facts.as_slice(), None);
                return r;
            }
            Tv::Unknown => unknown_exemptions.push((u, j)),
            Tv::False => {}
        }
    }
    let mut notes: Vec<Evidence> = Vec::new();
    for (u, j) in &unknown_exemptions {
        let ev = evidence_at(ev, j.facts.as_slice(), None);
        notes.extend(ev.into_iter().map(|e| Evidence {
            note: Note::ExemptionUnknown {
                clause: u.text.clone(),
                inner: Box::new(e.note),
            },
            ..e
        }));
    }
    if when.tv == Tv::Unknown {
        let mut r = result(Outcome::Incomplete, Message::WhenUnknown);
        r.evidence = evidence_at(ev, when.facts.as_slice(), None);
        r.evidence.extend(notes);
        r.unknown_when = when_unknown.into_boxed_slice();
        return r;
    }
    let (req, req_false, _) = all::<C, E>(
        ev,
        memo,
        &rule.require,
        forms.map(|f| f.require.as_slice()),
        false,
    );
    if !C::FACTS && req.tv != Tv::True {
        // The outcome is all the first pass needs; the second pass writes the report.
        let outcome = if req.tv == Tv::False {
            Outcome::Fail
        } else {
            Outcome::Incomplete
        };
        return result(outcome, Message::Pending);
    }
    let mut r = match req.tv {
        Tv::True => {
            let vacuous = req.facts.as_slice().iter().find_map(|f| match f {
                Fact::Note(Note::Vacuous(v)) => Some(v.clone()),
                _ => None,
            });
            result(
                Outcome::Pass,
                vacuous.map_or(Message::Holds, Message::HoldsVacuously),
            )
        }
        Tv::False => {
            let failed = req_false.iter().filter_map(|&i| rule.require.get(i));
            let message = Message::DoesNotHold(failed.map(|c| c.text.clone()).collect());
            let mut r = result(Outcome::Fail, message);
            r.evidence = evidence_at(ev, req.facts.as_slice(), Some(false));
            // Only counts of elements left out (their tests all held, under a `not`): show
            // every fact instead.
            if r.evidence.iter().all(|e| e.more.is_some()) {
                r.evidence = evidence_at(ev, req.facts.as_slice(), None);
            }
            r.help = match evidence::fix_help(&ev.policy().schema, req.facts.as_slice()) {
                Some(fix) => Some(Help::Fix(Box::new(fix))),
                None => rule.help.as_deref().map(|h| Help::Rule(h.into())),
            };
            r
        }
        Tv::Unknown => {
            let mut r = result(Outcome::Incomplete, Message::CannotDecide { because: None });
            r.evidence = evidence_at(ev, req.facts.as_slice(), None)
                .into_iter()
                .filter(|e| e.value.is_none() || e.op.is_none())
                .collect();
            r
        }
    };
    if r.outcome != Outcome::Pass {
        r.evidence.extend(notes);
    }
    if r.outcome == Outcome::Incomplete {
        let because = r
            .evidence
            .iter()
            .position(|e| e.value.is_none() && e.more.is_none());
        r.message = Message::CannotDecide { because };
    }
    r
}
