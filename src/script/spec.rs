//! The YAML model of a debug script (`docs/scripted-sessions.md`) and its loading: parsing,
//! paths made absolute against the script's folder, markers turned into line numbers.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;

/// How long one wait (a stop, an output line, the exit) may take unless the script says.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Launch arguments that name files: resolved against the script's folder.
const PATH_ARGUMENTS: [&str; 4] = ["program", "manifest", "cwd", "keyvalueFile"];

/// A script as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptFile {
    name: Option<String>,
    launch: Option<Value>,
    attach: Option<Value>,
    timeout: Option<Timeout>,
    steps: Vec<Step>,
}

/// A loaded script, ready to run.
#[derive(Debug)]
pub struct Script {
    pub name: String,
    /// `launch` or `attach`.
    pub request: &'static str,
    pub arguments: Value,
    pub timeout: Duration,
    pub steps: Vec<Step>,
}

/// One step of a script.
#[allow(clippy::enum_variant_names, reason = "the variants are the script's step names")]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Break(Place),
    Continue,
    Next,
    StepIn,
    StepOut,
    ExpectStop(ExpectStop),
    ExpectVariables(BTreeMap<String, Text>),
    Evaluate(Evaluate),
    Invoke(Invoke),
    ExpectOutput(ExpectOutput),
    ExpectExit(i64),
}

/// A source location: `src/main.rs:42`, or `{file, line | lines | marker}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Place {
    Short(String),
    Long(PlaceSpec),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceSpec {
    file: String,
    line: Option<u32>,
    lines: Option<Vec<u32>>,
    /// Text found on exactly one line of the file (e.g. `BP:greet`).
    marker: Option<String>,
}

/// A place with its lines known.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// As written in the script: matched against reported paths by suffix.
    pub file: String,
    /// The file on this machine (absolute when it exists next to the script).
    pub path: PathBuf,
    /// Empty when the place names a whole file.
    pub lines: Vec<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectStop {
    pub at: Option<Place>,
    pub reason: Option<String>,
    pub function: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluate {
    pub expression: String,
    pub equals: Option<Text>,
    pub contains: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invoke {
    pub operation: String,
    pub payload: Option<Value>,
    pub format: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectOutput {
    pub contains: String,
    pub category: Option<String>,
}

/// A scalar compared as text: `count: 3` and `count: '3'` mean the same.
#[derive(Debug, Clone)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// `timeout: 10s` (also `500ms`, `2m`, or a number of seconds).
#[derive(Debug)]
struct Timeout(Duration);

impl<'de> Deserialize<'de> for Timeout {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Text(text) = Text::deserialize(deserializer)?;
        parse_duration(&text).map(Timeout).map_err(de::Error::custom)
    }
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let scale = match unit.trim() {
        "ms" => 0.001,
        "s" => 1.0,
        "m" | "min" => 60.0,
        _ => return Err(format!("bad timeout `{text}`: use e.g. `10s`, `500ms` or `2m`")),
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 && n * scale < 86_400.0 => Ok(Duration::from_secs_f64(n * scale)),
        _ => Err(format!("bad timeout `{text}`: use e.g. `10s`, `500ms` or `2m`")),
    }
}

/// Reads and checks a script; errors name the file and, for YAML errors, the line and column.
pub fn load(path: &Path) -> Result<Script> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let file: ScriptFile = serde_saphyr::from_str(&text)
        .map_err(|e| anyhow::anyhow!("`{}` is not a valid debug script: {e}", path.display()))?;
    let folder = path.parent().unwrap_or(Path::new("."));
    let (request, arguments) = match (file.launch, file.attach) {
        (Some(launch), None) => ("launch", resolve_arguments(launch, folder)),
        (None, Some(attach)) => ("attach", attach),
        (Some(_), Some(_)) => bail!("`{}`: give either `launch` or `attach`, not both", path.display()),
        (None, None) => bail!("`{}`: missing `launch` (or `attach`): what to debug", path.display()),
    };
    if !arguments.is_object() {
        bail!(
            "`{}`: `{request}` must be a mapping of the request's arguments",
            path.display()
        );
    }
    for (index, step) in file.steps.iter().enumerate() {
        step.check(folder)
            .with_context(|| format!("`{}`: step {}", path.display(), index + 1))?;
    }
    let name = file.name.unwrap_or_else(|| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string())
    });
    Ok(Script {
        name,
        request,
        arguments,
        timeout: file.timeout.map_or(DEFAULT_TIMEOUT, |t| t.0),
        steps: file.steps,
    })
}

/// Makes the launch arguments that name files absolute against the script's folder.
fn resolve_arguments(mut arguments: Value, folder: &Path) -> Value {
    if let Some(map) = arguments.as_object_mut() {
        for key in PATH_ARGUMENTS {
            if let Some(Value::String(relative)) = map.get(key) {
                let path = folder.join(relative);
                map.insert(key.to_string(), Value::String(path.to_string_lossy().into_owned()));
            }
        }
    }
    arguments
}

impl Step {
    /// Catches what the YAML shape cannot (a missing marker, a malformed place) before the
    /// session starts.
    fn check(&self, folder: &Path) -> Result<()> {
        match self {
            Step::Break(place) if place.resolve(folder)?.lines.is_empty() => {
                bail!("`break` needs a line: `file:LINE`, or `line`, `lines` or `marker`");
            }
            Step::ExpectStop(ExpectStop { at: Some(place), .. }) => {
                place.resolve(folder)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// How the step is named in the transcript and the JUnit report.
    pub fn label(&self) -> String {
        match self {
            Step::Break(place) => format!("break {}", place.describe()),
            Step::Continue => "continue".into(),
            Step::Next => "next".into(),
            Step::StepIn => "step_in".into(),
            Step::StepOut => "step_out".into(),
            Step::ExpectStop(_) => "expect_stop".into(),
            Step::ExpectVariables(_) => "expect_variables".into(),
            Step::Evaluate(e) => format!("evaluate {}", e.expression),
            Step::Invoke(i) => format!("invoke {}", i.operation),
            Step::ExpectOutput(_) => "expect_output".into(),
            Step::ExpectExit(code) => format!("expect_exit {code}"),
        }
    }
}

impl Place {
    fn describe(&self) -> String {
        match self {
            Place::Short(text) => text.clone(),
            Place::Long(spec) => match (&spec.line, &spec.lines, &spec.marker) {
                (Some(line), _, _) => format!("{}:{line}", spec.file),
                (_, Some(lines), _) => format!(
                    "{}:{}",
                    spec.file,
                    lines.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
                ),
                (_, _, Some(marker)) => format!("{} ({marker})", spec.file),
                _ => spec.file.clone(),
            },
        }
    }

    /// The place's file and lines; a marker is looked up in the file.
    pub fn resolve(&self, folder: &Path) -> Result<Location> {
        let (file, lines) = match self {
            Place::Short(text) => match text.rsplit_once(':') {
                Some((file, line)) if !file.is_empty() && line.chars().all(|c| c.is_ascii_digit()) => {
                    (file.to_string(), vec![parse_line(line)?])
                }
                _ => (text.clone(), Vec::new()),
            },
            Place::Long(spec) => {
                let given = spec.line.is_some() as u8 + spec.lines.is_some() as u8 + spec.marker.is_some() as u8;
                if given > 1 {
                    bail!("give one of `line`, `lines` and `marker`");
                }
                let mut lines: Vec<u32> = spec
                    .line
                    .into_iter()
                    .chain(spec.lines.iter().flatten().copied())
                    .collect();
                if let Some(marker) = &spec.marker {
                    lines.push(line_of_marker(&folder.join(&spec.file), marker)?);
                }
                if lines.contains(&0) {
                    bail!("lines count from 1");
                }
                (spec.file.clone(), lines)
            }
        };
        let here = folder.join(&file);
        let path = if here.exists() { here } else { PathBuf::from(&file) };
        Ok(Location { file, path, lines })
    }
}

fn parse_line(text: &str) -> Result<u32> {
    match text.parse::<u32>() {
        Ok(line) if line > 0 => Ok(line),
        _ => bail!("`{text}` is not a line number (lines count from 1)"),
    }
}

/// The 1-based line of `file` containing `marker`, which must appear exactly once.
fn line_of_marker(file: &Path, marker: &str) -> Result<u32> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read `{}` to find the marker `{marker}`", file.display()))?;
    let found: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains(marker))
        .map(|(index, _)| index + 1)
        .collect();
    match found.as_slice() {
        [line] => Ok(*line as u32),
        [] => bail!("the marker `{marker}` is not in `{}`", file.display()),
        _ => bail!(
            "the marker `{marker}` is on {} lines of `{}`; it must be on one",
            found.len(),
            file.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_take_units() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn steps_parse_from_yaml() {
        let steps: Vec<Step> = serde_saphyr::from_str(
            "- break: src/main.rs:42\n- continue\n- expect_variables: { count: 3, name: '\"w\"' }\n- expect_exit: 0\n",
        )
        .unwrap();
        assert_eq!(
            steps.iter().map(Step::label).collect::<Vec<_>>(),
            ["break src/main.rs:42", "continue", "expect_variables", "expect_exit 0"]
        );
        let place = match &steps[0] {
            Step::Break(place) => place.resolve(Path::new("/nowhere")).unwrap(),
            _ => unreachable!(),
        };
        assert_eq!(place.lines, [42]);
        assert_eq!(place.path, PathBuf::from("src/main.rs"));
    }
}
