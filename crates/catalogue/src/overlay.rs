//! Resolving `extends`: a province's catalogue is its parent with indicators and rules added,
//! replaced (same code or id) or removed.

use crate::check::{CatalogueError, check};
use crate::model::{Catalogue, CatalogueFile, Extras};

/// Finds parent catalogues by `id@version`. Storage and the CLI implement it over their sources.
pub trait Resolver {
    fn find(&self, reference: &str) -> Option<CatalogueFile>;
}

/// A resolver that knows no parents (for self-contained files).
pub struct NoParents;

impl Resolver for NoParents {
    fn find(&self, _: &str) -> Option<CatalogueFile> {
        None
    }
}

/// A resolver over a list of catalogue files, e.g. every file in `catalogues/`, plus the default.
pub struct CatalogueSource(pub Vec<CatalogueFile>);

impl Resolver for CatalogueSource {
    fn find(&self, reference: &str) -> Option<CatalogueFile> {
        self.0.iter().find(|f| f.catalogue.reference() == reference || f.catalogue.id == reference).cloned()
    }
}

/// Applies the chain of `extends` and checks the result.
pub fn resolve(file: CatalogueFile, resolver: &dyn Resolver) -> Result<Catalogue, CatalogueError> {
    let mut chain = vec![file];
    while let Some(parent_ref) = chain.last().and_then(|f| f.catalogue.extends.clone()) {
        if chain.iter().any(|f| f.catalogue.reference() == parent_ref) || chain.len() > 16 {
            return Err(CatalogueError::CyclicExtends(parent_ref));
        }
        let parent = resolver.find(&parent_ref).ok_or(CatalogueError::UnknownParent(parent_ref))?;
        chain.push(parent);
    }
    let meta = chain[0].catalogue.clone();
    let mut merged = CatalogueFile { remove: vec![], ..chain.pop().expect("non-empty chain") };
    while let Some(child) = chain.pop() {
        merged = apply(merged, child);
    }
    let extras = Extras { documents: merged.documents, severity: merged.severity, required: merged.required, limits: merged.limits };
    let cat = Catalogue::assemble(meta, merged.dimensions, merged.forms, merged.indicators, merged.rules, extras);
    let problems = check(&cat);
    if problems.is_empty() { Ok(cat) } else { Err(CatalogueError::Invalid(problems.join("\n"))) }
}

fn apply(mut base: CatalogueFile, child: CatalogueFile) -> CatalogueFile {
    base.indicators.retain(|i| !child.remove.contains(&i.code));
    base.rules.retain(|r| !child.remove.contains(&r.id));
    base.required.retain(|r| !child.remove.contains(&r.id));
    base.limits.retain(|l| !child.remove.contains(&l.id));
    base.severity.extend(child.severity);
    upsert(&mut base.required, child.required, |r| r.id.clone());
    upsert(&mut base.limits, child.limits, |l| l.id.clone());
    upsert(&mut base.dimensions, child.dimensions, |d| d.id.clone());
    upsert(&mut base.forms, child.forms, |f| f.number.to_string());
    upsert(&mut base.indicators, child.indicators, |i| i.code.clone());
    upsert(&mut base.rules, child.rules, |r| r.id.clone());
    let docs = &mut base.documents;
    docs.sentences.retain(|t| !child.remove.contains(&t.id));
    docs.weaknesses.retain(|w| !child.remove.contains(&w.id));
    // A removed indicator leaves the inherited watch-list too.
    if let Some(watch) = &mut docs.watch {
        watch.retain(|code| !child.remove.contains(code));
    }
    upsert(&mut docs.sentences, child.documents.sentences, |t| t.id.clone());
    upsert(&mut docs.weaknesses, child.documents.weaknesses, |w| w.id.clone());
    if child.documents.watch.is_some() {
        docs.watch = child.documents.watch;
    }
    base
}

/// Replaces items with the same key in place (keeping the parent's order), appends new ones.
fn upsert<T>(base: &mut Vec<T>, items: Vec<T>, key: impl Fn(&T) -> String) {
    for item in items {
        let k = key(&item);
        match base.iter_mut().find(|b| key(b) == k) {
            Some(slot) => *slot = item,
            None => base.push(item),
        }
    }
}
