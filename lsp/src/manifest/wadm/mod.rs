//! wadm application manifests: the published schema, wadm's own verdicts and missing local
//! images as findings; outline, hover, completion, and link targets to components and back.

mod completion;
mod hover;
pub(crate) mod images;
mod interfaces;
mod model;
mod navigation;
mod outline;
mod schema;
mod validation;

use std::ops::Range;
use std::path::Path;

use model::App;

use super::schema_errors::{self, Dialect};
use super::yaml;
use crate::OpenFiles;
use crate::answer::{Completion, Location};
use crate::finding::Finding;
use crate::symbol::Symbol;

/// Syntax errors, then per application the schema's errors, wadm's verdicts, local images
/// that are missing or not valid WebAssembly, and link interfaces the components' WIT worlds
/// lack, in text order.
pub(crate) fn analyze(path: &Path, text: &str, open: OpenFiles) -> Vec<Finding> {
    let parsed = yaml::parse(text);
    let mut out = parsed.findings.clone();
    for doc in parsed.complete_documents() {
        out.extend(schema_errors::findings(schema::schema(), text, doc, Dialect::Yaml));
        let app = App::read(doc);
        out.extend(validation::findings(&app));
        out.extend(images::findings(path, &app, open));
        out.extend(interfaces::findings(path, &app));
    }
    out.sort_by_key(|f| (f.range.start, f.range.end));
    out
}

/// Each component's local image in every application: its value's range and the file.
pub(crate) fn local_images(path: &Path, text: &str) -> Vec<(Range<usize>, std::path::PathBuf)> {
    let parsed = yaml::parse(text);
    let mut out = Vec::new();
    for document in &parsed.documents {
        let app = App::read(&document.root);
        let images = app.components.iter().filter_map(|c| images::local_image(path, c));
        out.extend(images.map(|image| (image.node.range.clone(), image.path)));
    }
    out
}

/// One namespace per application (document).
pub(crate) fn outline(text: &str) -> Vec<Symbol> {
    yaml::parse(text)
        .documents
        .iter()
        .map(|d| outline::symbols(text, &App::read(&d.root)))
        .collect()
}

pub(crate) fn hover(path: &Path, text: &str, offset: usize) -> Option<(Range<usize>, String)> {
    let parsed = yaml::parse(text);
    let doc = parsed.document_at(offset)?;
    images::hover(path, &App::read(doc), offset).or_else(|| hover::hover(doc, offset))
}

pub(crate) fn completion(path: &Path, text: &str, offset: usize) -> Option<Vec<Completion>> {
    completion::completion(path, text, offset)
}

/// From a link's target (or a component's name) to the component's `name`.
pub(crate) fn definition(path: &Path, text: &str, offset: usize) -> Option<Location> {
    let parsed = yaml::parse(text);
    let app = App::read(parsed.document_at(offset)?);
    let name = navigation::name_at(&app, offset)?;
    Some(Location {
        path: path.to_path_buf(),
        range: navigation::definition(&app, name)?,
    })
}

/// The component's `name` and every link target naming it.
pub(crate) fn references(path: &Path, text: &str, offset: usize) -> Option<Vec<Location>> {
    let parsed = yaml::parse(text);
    let app = App::read(parsed.document_at(offset)?);
    let name = navigation::name_at(&app, offset)?;
    Some(
        navigation::references(&app, name)
            .into_iter()
            .map(|range| Location {
                path: path.to_path_buf(),
                range,
            })
            .collect(),
    )
}
