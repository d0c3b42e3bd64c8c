//! Names of a WIT package, token by token: every file of the package is lexed and walked
//! with a small forgiving parser that knows where WIT puts definitions (`interface x`,
//! `record x`, `use i.{x as y}`…) and uses (type positions, `use` paths, `import`/`export`,
//! `include`); uses are then resolved through each interface's or world's scope, following
//! `use` imports to the item they name. The walk tolerates errors, so navigation and
//! highlighting keep working while a file is being typed; names it cannot resolve (foreign
//! packages, typos) are simply not linked.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::lexer::{Kind, Token, is_builtin_type, is_keyword, lex};

/// Where a type name is looked up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    Interface(String),
    World(String),
    /// `import name: interface { … }` inside a world.
    Inline {
        world: String,
        name: String,
    },
}

/// Something a name can stand for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Sym {
    Interface(String),
    World(String),
    Type(Scope, String),
}

/// How a type was defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeKind {
    Record,
    Variant,
    Enum,
    Flags,
    Resource,
    /// `type x = …;`
    Alias,
    /// `use i.{y as x}`: a local name for another interface's type.
    Renamed,
}

impl TypeKind {
    pub fn keyword(self) -> &'static str {
        match self {
            TypeKind::Record => "record",
            TypeKind::Variant => "variant",
            TypeKind::Enum => "enum",
            TypeKind::Flags => "flags",
            TypeKind::Resource => "resource",
            TypeKind::Alias => "type",
            TypeKind::Renamed => "use",
        }
    }
}

/// What a token is, for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Plain,
    Comment,
    Keyword,
    BuiltinType,
    String,
    Number,
    Version,
    /// A package's namespace or name (`wasi:http`).
    Package,
    /// `@since` and friends.
    Decorator,
    /// `version`, `feature` inside a gate.
    GateKey,
    Field,
    Case,
    Param,
    Function,
    Interface,
    World,
    Type,
}

/// Where a definition is: file (index into the files the index was built from) and token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Site {
    pub file: usize,
    pub token: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Definition {
    pub site: Site,
    /// `None` for interfaces and worlds.
    pub kind: Option<TypeKind>,
}

/// A `use i.{name}` without renaming: `name` in the using scope is `i`'s `name`.
#[derive(Debug, Clone)]
struct Import {
    from: Option<String>,
    name: String,
}

/// What an identifier token refers to, before resolution.
#[derive(Debug, Clone)]
enum Target {
    Def(Sym),
    Interface(String),
    World(String),
    /// A type name used in `scope`.
    Type(Scope, String),
    /// A type name in another interface of the package (a `use` list entry).
    InterfaceType(String, String),
}

pub(crate) struct File<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub tokens: Vec<Token>,
    pub roles: Vec<Role>,
}

impl File<'_> {
    #[cfg(test)]
    pub fn slice(&self, token: usize) -> &str {
        &self.text[self.tokens[token].range.clone()]
    }
}

/// The names of a package.
pub(crate) struct Index<'a> {
    pub files: Vec<File<'a>>,
    pub definitions: HashMap<Sym, Definition>,
    /// `use` renamings: the local name's symbol → the interface and name it renames.
    renamed: HashMap<Sym, (Option<String>, String)>,
    imports: HashMap<(Scope, String), Import>,
    targets: Vec<(Site, Target)>,
    /// Resolved names: every definition and use, by file and token.
    pub occurrences: HashMap<(usize, usize), Sym>,
    /// Where functions are defined, by file and token: a function's name, or the
    /// `constructor` keyword of a resource. Functions are never used by name in WIT, so they
    /// are not symbols; hover still describes them.
    pub functions: HashSet<(usize, usize)>,
}

impl<'a> Index<'a> {
    /// Indexes `files` (path and text; the first is the one the editor asks about).
    pub fn new(files: &[(&'a str, &'a str)]) -> Index<'a> {
        let mut index = Index {
            files: Vec::new(),
            definitions: HashMap::new(),
            renamed: HashMap::new(),
            imports: HashMap::new(),
            targets: Vec::new(),
            occurrences: HashMap::new(),
            functions: HashSet::new(),
        };
        for (file, (path, text)) in files.iter().enumerate() {
            let tokens = lex(text);
            let roles = tokens.iter().map(|t| default_role(t, text)).collect();
            let mut walker = Walker {
                file,
                text,
                sig: (0..tokens.len()).filter(|&i| !tokens[i].is_comment()).collect(),
                tokens: &tokens,
                roles,
                pos: 0,
                foreign: false,
                depth: 0,
                index: &mut index,
            };
            walker.file_items();
            let roles = walker.roles;
            index.files.push(File {
                path,
                text,
                tokens,
                roles,
            });
        }
        for (site, target) in std::mem::take(&mut index.targets) {
            let sym = match target {
                Target::Def(sym) => Some(sym),
                Target::Interface(name) => Some(Sym::Interface(name)).filter(|s| index.definitions.contains_key(s)),
                Target::World(name) => Some(Sym::World(name)).filter(|s| index.definitions.contains_key(s)),
                Target::Type(scope, name) => index.resolve_type(&scope, &name),
                Target::InterfaceType(interface, name) => index.resolve_type(&Scope::Interface(interface), &name),
            };
            if let Some(sym) = sym {
                index.occurrences.insert((site.file, site.token), sym);
            }
        }
        index
    }

    /// The symbol `name` stands for in `scope`, following `use` imports.
    pub fn resolve_type(&self, scope: &Scope, name: &str) -> Option<Sym> {
        let mut scope = scope.clone();
        let mut name = name.to_string();
        for _ in 0..32 {
            let sym = Sym::Type(scope.clone(), name.clone());
            if self.definitions.contains_key(&sym) {
                return Some(sym);
            }
            match self.imports.get(&(scope.clone(), name.clone())) {
                Some(Import {
                    from: Some(from),
                    name: imported,
                }) => {
                    scope = Scope::Interface(from.clone());
                    name = imported.clone();
                }
                Some(Import { from: None, .. }) => return None,
                None => match scope {
                    Scope::Inline { world, .. } => scope = Scope::World(world),
                    _ => return None,
                },
            }
        }
        None
    }

    /// The type names visible in `scope`, with what each is.
    pub fn visible_types(&self, scope: &Scope) -> Vec<(String, Option<TypeKind>)> {
        let mut names: Vec<(String, Option<TypeKind>)> = Vec::new();
        let mut scopes = vec![scope.clone()];
        if let Scope::Inline { world, .. } = scope {
            scopes.push(Scope::World(world.clone()));
        }
        for scope in &scopes {
            for sym in self.definitions.keys() {
                if let Sym::Type(s, name) = sym
                    && s == scope
                {
                    names.push((name.clone(), self.kind_of(sym)));
                }
            }
            for (s, name) in self.imports.keys() {
                if s == scope {
                    let kind = self.resolve_type(s, name).and_then(|sym| self.kind_of(&sym));
                    names.push((name.clone(), kind));
                }
            }
        }
        names.sort_by(|a, b| a.0.cmp(&b.0));
        names.dedup_by(|a, b| a.0 == b.0);
        names
    }

    /// What a type symbol finally is, looking through `use` renamings.
    pub fn kind_of(&self, sym: &Sym) -> Option<TypeKind> {
        let sym = self.original(sym);
        self.definitions.get(&sym)?.kind
    }

    /// The item a symbol names in the end: a `use` renaming stands for what it renames.
    pub fn original(&self, sym: &Sym) -> Sym {
        let mut sym = sym.clone();
        for _ in 0..32 {
            match self.renamed.get(&sym) {
                Some((Some(from), name)) => match self.resolve_type(&Scope::Interface(from.clone()), name) {
                    Some(next) => sym = next,
                    None => break,
                },
                _ => break,
            }
        }
        sym
    }

    /// Names of the package's interfaces or worlds.
    pub fn names(&self, world: bool) -> Vec<String> {
        let mut names: Vec<String> = self
            .definitions
            .keys()
            .filter_map(|sym| match (sym, world) {
                (Sym::Interface(name), false) | (Sym::World(name), true) => Some(name.clone()),
                _ => None,
            })
            .collect();
        names.sort();
        names
    }

    /// The name token of file `file` at byte `offset` (touching it counts), and what it names.
    pub fn symbol_at(&self, file: usize, offset: usize) -> Option<(usize, Sym)> {
        let tokens = &self.files.get(file)?.tokens;
        tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.kind, Kind::Word | Kind::ExplicitId))
            .filter(|(_, t)| t.range.start <= offset && offset <= t.range.end)
            .find_map(|(i, _)| Some((i, self.occurrences.get(&(file, i))?.clone())))
    }

    /// The byte range of a token.
    pub fn range(&self, site: Site) -> Range<usize> {
        self.files[site.file].tokens[site.token].range.clone()
    }

    /// Every occurrence of `sym`, its definition first, then by file and position.
    pub fn occurrences_of(&self, sym: &Sym) -> Vec<Site> {
        let definition = self.definitions.get(sym).map(|d| d.site);
        let mut sites: Vec<Site> = self
            .occurrences
            .iter()
            .filter(|(_, s)| *s == sym)
            .map(|(&(file, token), _)| Site { file, token })
            .filter(|site| Some(*site) != definition)
            .collect();
        sites.sort_by_key(|s| (s.file, s.token));
        definition.into_iter().chain(sites).collect()
    }
}

/// A token's role before the walk looks at where it is.
fn default_role(token: &Token, text: &str) -> Role {
    match token.kind {
        Kind::LineComment | Kind::BlockComment => Role::Comment,
        Kind::String => Role::String,
        Kind::Integer => Role::Number,
        Kind::Word => {
            let word = &text[token.range.clone()];
            if is_builtin_type(word) {
                Role::BuiltinType
            } else if is_keyword(word) {
                Role::Keyword
            } else {
                Role::Plain
            }
        }
        _ => Role::Plain,
    }
}

/// How a `use`, `import` or `include` path names its item.
enum Path {
    Local(String),
    Foreign,
    Missing,
}

/// A forgiving recursive-descent walk over one file's significant tokens. Every loop
/// consumes at least one token, so any input terminates.
struct Walker<'w, 'a> {
    file: usize,
    text: &'w str,
    tokens: &'w [Token],
    /// Indices of the non-comment tokens.
    sig: Vec<usize>,
    roles: Vec<Role>,
    pos: usize,
    /// Inside a nested `package x:y { … }`: names there belong to another package.
    foreign: bool,
    /// How deeply type expressions are nested here.
    depth: usize,
    index: &'w mut Index<'a>,
}

impl Walker<'_, '_> {
    fn peek(&self, n: usize) -> &str {
        self.sig
            .get(self.pos + n)
            .map(|&i| &self.text[self.tokens[i].range.clone()])
            .unwrap_or("")
    }

    fn kind(&self, n: usize) -> Option<Kind> {
        self.sig.get(self.pos + n).map(|&i| self.tokens[i].kind)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.sig.len()
    }

    /// Whether the token `n` ahead is a name (not a keyword).
    fn is_name(&self, n: usize) -> bool {
        match self.kind(n) {
            Some(Kind::ExplicitId) => true,
            Some(Kind::Word) => !is_keyword(self.peek(n)),
            _ => false,
        }
    }

    fn bump(&mut self, role: Option<Role>) {
        if let Some(&i) = self.sig.get(self.pos) {
            if let Some(role) = role {
                self.roles[i] = role;
            }
            self.pos += 1;
        }
    }

    fn eat(&mut self, text: &str) -> bool {
        if !self.at_end() && self.peek(0) == text {
            self.bump(None);
            true
        } else {
            false
        }
    }

    /// The current name without its `%`.
    fn name(&self) -> String {
        self.peek(0).trim_start_matches('%').to_string()
    }

    fn site(&self) -> Site {
        Site {
            file: self.file,
            token: self.sig[self.pos],
        }
    }

    fn target(&mut self, target: Target) {
        if !self.foreign && !self.at_end() {
            let site = self.site();
            self.index.targets.push((site, target));
        }
    }

    fn define(&mut self, sym: Sym, kind: Option<TypeKind>) {
        if self.foreign || self.at_end() {
            return;
        }
        let site = self.site();
        self.index
            .definitions
            .entry(sym.clone())
            .or_insert(Definition { site, kind });
        self.index.targets.push((site, Target::Def(sym)));
    }

    /// Records the current token as where a function is defined.
    fn function_name(&mut self) {
        if !self.at_end() {
            let site = self.site();
            self.index.functions.insert((site.file, site.token));
        }
    }

    /// Whether an unclosed block is followed by a top-level item (typing in progress).
    fn at_next_toplevel_item(&self) -> bool {
        matches!(self.peek(0), "interface" | "world" | "package")
    }

    /// Whether a member list was left open before the next item.
    fn at_next_item(&self) -> bool {
        self.at_next_toplevel_item()
            || matches!(
                self.peek(0),
                "use" | "type" | "record" | "variant" | "enum" | "flags" | "resource" | "func" | "import" | "export"
            )
    }

    /// Makes progress even where nothing else does.
    fn skip(&mut self) {
        self.bump(None);
    }

    fn file_items(&mut self) {
        while !self.at_end() {
            self.gates();
            match self.peek(0) {
                "package" => self.package(),
                "interface" => {
                    self.bump(None);
                    self.interface(None);
                }
                "world" => self.world(),
                "use" => self.toplevel_use(),
                _ => self.skip(),
            }
        }
    }

    fn package(&mut self) {
        self.bump(None);
        self.package_name();
        if self.eat("{") {
            let foreign = std::mem::replace(&mut self.foreign, true);
            while !self.at_end() && !self.eat("}") {
                self.gates();
                match self.peek(0) {
                    "interface" => {
                        self.bump(None);
                        self.interface(None);
                    }
                    "world" => self.world(),
                    "use" => self.toplevel_use(),
                    "}" => {}
                    _ => self.skip(),
                }
            }
            self.foreign = foreign;
        } else {
            self.eat(";");
        }
    }

    /// `ns:name@version`
    fn package_name(&mut self) {
        if self.is_name(0) {
            self.bump(Some(Role::Package));
            if self.eat(":") && self.is_name(0) {
                self.bump(Some(Role::Package));
            }
            self.version();
        }
    }

    /// `@1.2.3-pre.1+build` after a package name.
    fn version(&mut self) {
        if self.peek(0) != "@" || self.kind(1) != Some(Kind::Integer) {
            return;
        }
        self.bump(None);
        let mut previous = String::new();
        loop {
            let token = self.peek(0).to_string();
            let take = match self.kind(0) {
                Some(Kind::Integer) => true,
                Some(Kind::Word) => matches!(previous.as_str(), "-" | "+" | "."),
                Some(Kind::Punct) => match token.as_str() {
                    "-" | "+" => true,
                    "." => matches!(self.kind(1), Some(Kind::Integer | Kind::Word)) || self.peek(1) == "-",
                    _ => false,
                },
                _ => false,
            };
            if !take {
                break;
            }
            self.bump(Some(Role::Version));
            previous = token;
        }
    }

    /// `@since(version = 1.2.0)`, `@unstable(feature = x)`, … before an item.
    fn gates(&mut self) {
        while self.peek(0) == "@" && self.kind(1) == Some(Kind::Word) {
            self.bump(Some(Role::Decorator));
            self.bump(Some(Role::Decorator));
            if !self.eat("(") {
                continue;
            }
            while !self.at_end() && !self.eat(")") {
                if matches!(self.peek(0), ";" | "{" | "}") {
                    return;
                }
                if self.kind(0) == Some(Kind::Integer) {
                    while matches!(self.kind(0), Some(Kind::Integer | Kind::Word))
                        || matches!(self.peek(0), "." | "-" | "+")
                    {
                        self.bump(Some(Role::Version));
                    }
                } else if self.kind(0) == Some(Kind::Word) && self.peek(1) == "=" {
                    self.bump(Some(Role::GateKey));
                } else {
                    self.skip();
                }
            }
        }
    }

    /// `use path as name;` at the top of a file.
    fn toplevel_use(&mut self) {
        self.bump(None);
        self.path();
        if self.eat("as") && self.is_name(0) {
            let name = self.name();
            self.define(Sym::Interface(name), None);
            self.bump(Some(Role::Interface));
        }
        self.eat(";");
    }

    /// A `use`/`import`/`include` path: a local name, or `ns:pkg/name@version`. A local
    /// name is targeted at interfaces (or worlds, for `include`).
    fn path_of(&mut self, world: bool) -> Path {
        if !self.is_name(0) {
            return Path::Missing;
        }
        if self.peek(1) == ":" {
            self.bump(Some(Role::Package));
            self.bump(None);
            if self.is_name(0) {
                self.bump(Some(Role::Package));
            }
            if self.eat("/") && self.is_name(0) {
                self.bump(Some(if world { Role::World } else { Role::Interface }));
            }
            self.version();
            return Path::Foreign;
        }
        let name = self.name();
        if world {
            self.target(Target::World(name.clone()));
            self.bump(Some(Role::World));
        } else {
            self.target(Target::Interface(name.clone()));
            self.bump(Some(Role::Interface));
        }
        Path::Local(name)
    }

    fn path(&mut self) -> Path {
        self.path_of(false)
    }

    /// After `interface`: its name and body (`inline` names the world and label of an
    /// `import x: interface { … }`).
    fn interface(&mut self, inline: Option<(String, String)>) {
        let scope = match inline {
            Some((world, name)) => Scope::Inline { world, name },
            None => {
                if !self.is_name(0) {
                    return;
                }
                let name = self.name();
                self.define(Sym::Interface(name.clone()), None);
                self.bump(Some(Role::Interface));
                Scope::Interface(name)
            }
        };
        if !self.eat("{") {
            return;
        }
        while !self.at_end() {
            self.gates();
            if self.eat("}") || self.at_next_toplevel_item() {
                return;
            }
            if self.type_item(&scope) {
                continue;
            }
            if self.is_name(0) && self.peek(1) == ":" {
                self.function_name();
                self.bump(Some(Role::Function));
                self.bump(None);
                self.function(&scope);
                self.eat(";");
            } else if self.peek(0) != "}" {
                self.skip();
            }
        }
    }

    fn world(&mut self) {
        self.bump(None);
        if !self.is_name(0) {
            return;
        }
        let name = self.name();
        self.define(Sym::World(name.clone()), None);
        self.bump(Some(Role::World));
        let scope = Scope::World(name.clone());
        if !self.eat("{") {
            return;
        }
        while !self.at_end() {
            self.gates();
            if self.eat("}") || self.at_next_toplevel_item() {
                return;
            }
            if self.type_item(&scope) {
                continue;
            }
            match self.peek(0) {
                "import" | "export" => {
                    self.bump(None);
                    self.external(&name);
                }
                "include" => {
                    self.bump(None);
                    self.path_of(true);
                    if self.eat("with") && self.eat("{") {
                        while !self.at_end() && !self.eat("}") {
                            self.skip();
                        }
                    } else {
                        self.eat(";");
                    }
                }
                "}" => {}
                _ => self.skip(),
            }
        }
    }

    /// What follows `import` or `export` in world `world`.
    fn external(&mut self, world: &str) {
        let scope = Scope::World(world.to_string());
        let labelled = self.is_name(0) && self.peek(1) == ":" && !(self.is_name(2) && self.peek(3) == "/");
        if !labelled {
            self.path();
            self.eat(";");
            return;
        }
        let label = self.name();
        let label_token = self.sig[self.pos];
        self.bump(None);
        self.bump(None);
        match self.peek(0) {
            "func" | "async" => {
                self.roles[label_token] = Role::Function;
                self.index.functions.insert((self.file, label_token));
                self.function(&scope);
                self.eat(";");
            }
            "interface" => {
                self.roles[label_token] = Role::Interface;
                self.bump(None);
                self.interface(Some((world.to_string(), label)));
            }
            _ => {
                self.roles[label_token] = Role::Interface;
                self.path();
                self.eat(";");
            }
        }
    }

    /// A `use` or type definition in `scope`; `false` when the next item is neither.
    fn type_item(&mut self, scope: &Scope) -> bool {
        let kind = match self.peek(0) {
            "use" => {
                self.use_names(scope);
                return true;
            }
            "type" => TypeKind::Alias,
            "record" => TypeKind::Record,
            "variant" => TypeKind::Variant,
            "enum" => TypeKind::Enum,
            "flags" => TypeKind::Flags,
            "resource" => TypeKind::Resource,
            _ => return false,
        };
        self.bump(None);
        if !self.is_name(0) {
            return true;
        }
        let name = self.name();
        self.define(Sym::Type(scope.clone(), name), Some(kind));
        self.bump(Some(Role::Type));
        match kind {
            TypeKind::Alias => {
                if self.eat("=") {
                    self.ty(scope);
                }
                self.eat(";");
            }
            TypeKind::Resource => {
                if self.eat("{") {
                    self.resource_body(scope);
                } else {
                    self.eat(";");
                }
            }
            TypeKind::Record => self.members(scope, true),
            _ => self.members(scope, false),
        }
        true
    }

    /// `{ a: T, … }` of a record (`fields`), or the cases of a variant, enum or flags.
    fn members(&mut self, scope: &Scope, fields: bool) {
        if !self.eat("{") {
            return;
        }
        while !self.at_end() && !self.eat("}") {
            if self.is_name(0) {
                self.bump(Some(if fields { Role::Field } else { Role::Case }));
                if fields && self.eat(":") {
                    self.ty(scope);
                } else if !fields && self.eat("(") {
                    self.ty(scope);
                    self.eat(")");
                }
            } else if !self.eat(",") && self.peek(0) != "}" {
                if self.peek(0) == ";" || self.at_next_item() {
                    return;
                }
                self.skip();
            }
        }
    }

    fn resource_body(&mut self, scope: &Scope) {
        while !self.at_end() {
            self.gates();
            if self.eat("}") {
                return;
            }
            if self.peek(0) == "constructor" {
                self.function_name();
                self.bump(None);
                self.params(scope);
                if self.eat("->") {
                    self.ty(scope);
                }
                self.eat(";");
            } else if self.is_name(0) && self.peek(1) == ":" {
                self.function_name();
                self.bump(Some(Role::Function));
                self.bump(None);
                self.eat("static");
                self.function(scope);
                self.eat(";");
            } else if self.peek(0) != "}" {
                self.skip();
            }
        }
    }

    /// `async? func(params) -> T`
    fn function(&mut self, scope: &Scope) {
        self.eat("async");
        if !self.eat("func") {
            return;
        }
        self.params(scope);
        if self.eat("->") {
            self.ty(scope);
        }
    }

    fn params(&mut self, scope: &Scope) {
        if !self.eat("(") {
            return;
        }
        while !self.at_end() && !self.eat(")") {
            if self.is_name(0) && self.peek(1) == ":" {
                self.bump(Some(Role::Param));
                self.bump(None);
                self.ty(scope);
            } else if !self.eat(",") {
                if matches!(self.peek(0), ";" | "{" | "}") {
                    return;
                }
                self.skip();
            }
        }
    }

    /// A type expression in `scope`.
    fn ty(&mut self, scope: &Scope) {
        // As deep as wit-parser goes, and no deeper: the walk must not exhaust the stack.
        if self.depth >= 100 {
            self.skip();
            return;
        }
        self.depth += 1;
        self.ty_at_depth(scope);
        self.depth -= 1;
    }

    fn ty_at_depth(&mut self, scope: &Scope) {
        if self.kind(0) == Some(Kind::Word) && is_builtin_type(self.peek(0)) {
            self.bump(None);
            if self.eat("<") {
                while !self.at_end() && !self.eat(">") {
                    if matches!(self.peek(0), ";" | "{" | "}" | ")") {
                        return;
                    }
                    if !self.eat(",") && !self.eat("_") {
                        let before = self.pos;
                        self.ty(scope);
                        if self.pos == before {
                            self.skip();
                        }
                    }
                }
            }
        } else if self.is_name(0) && self.peek(1) != ":" {
            // `name:` is the next member, where a type was left out mid-edit.
            self.target(Target::Type(scope.clone(), self.name()));
            self.bump(Some(Role::Type));
        }
    }

    /// `use path.{a, b as c};` in `scope`.
    fn use_names(&mut self, scope: &Scope) {
        self.bump(None);
        let from = match self.path() {
            Path::Local(name) => Some(name),
            Path::Foreign => None,
            Path::Missing => {
                self.eat(";");
                return;
            }
        };
        if !(self.eat(".") && self.eat("{")) {
            self.eat(";");
            return;
        }
        while !self.at_end() && !self.eat("}") {
            if !self.is_name(0) {
                if matches!(self.peek(0), ";" | "{") {
                    return;
                }
                self.skip();
                continue;
            }
            let name = self.name();
            if let Some(from) = &from {
                self.target(Target::InterfaceType(from.clone(), name.clone()));
            }
            self.bump(Some(Role::Type));
            if self.eat("as") {
                if self.is_name(0) {
                    let alias = self.name();
                    let sym = Sym::Type(scope.clone(), alias);
                    if !self.foreign {
                        self.index.renamed.insert(sym.clone(), (from.clone(), name));
                    }
                    self.define(sym, Some(TypeKind::Renamed));
                    self.bump(Some(Role::Type));
                }
            } else if !self.foreign {
                self.index
                    .imports
                    .entry((scope.clone(), name.clone()))
                    .or_insert(Import {
                        from: from.clone(),
                        name,
                    });
            }
            self.eat(",");
        }
        self.eat(";");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: &str = "package demo:multi;\n\ninterface types {\n  record order {\n    id: u64,\n  }\n  enum color { red, green }\n}\n";
    const API: &str = "package demo:multi;\n\ninterface api {\n  use types.{order, color as colour};\n  place: func(o: order, c: colour) -> result<list<order>, string>;\n}\n\nworld shop {\n  import types;\n  export api;\n  import log: func(msg: string);\n}\n";

    fn at(text: &str, needle: &str, nth: usize) -> usize {
        text.match_indices(needle).nth(nth).unwrap().0
    }

    #[test]
    fn definitions_uses_and_use_imports_resolve_across_files() {
        let index = Index::new(&[("api.wit", API), ("types.wit", TYPES)]);
        let order = Sym::Type(Scope::Interface("types".into()), "order".into());
        // `order` in `place`'s parameter, in api.wit: through `use types.{order}`.
        assert_eq!(index.symbol_at(0, at(API, "order", 1)).unwrap().1, order);
        let sites: Vec<(usize, &str, usize)> = index
            .occurrences_of(&order)
            .into_iter()
            .map(|s| (s.file, index.files[s.file].slice(s.token), index.range(s).start))
            .collect();
        assert_eq!(
            sites,
            [
                (1, "order", at(TYPES, "order", 0)),
                (0, "order", at(API, "order", 0)),
                (0, "order", at(API, "order", 1)),
                (0, "order", at(API, "order", 2)),
            ]
        );
        // A renamed import is a name of its own, which stands for the original.
        let colour = index.symbol_at(0, at(API, "colour", 1)).unwrap().1;
        assert_eq!(colour, Sym::Type(Scope::Interface("api".into()), "colour".into()));
        assert_eq!(
            index.original(&colour),
            Sym::Type(Scope::Interface("types".into()), "color".into())
        );
        assert_eq!(index.kind_of(&colour), Some(TypeKind::Enum));
        // Interfaces named by `use`, `import` and `export`.
        let types = Sym::Interface("types".into());
        assert_eq!(index.occurrences_of(&types).len(), 3);
        assert_eq!(
            index.symbol_at(0, at(API, "api;", 0)).unwrap().1,
            Sym::Interface("api".into())
        );
        // Built-in types, keywords, fields and parameters name nothing.
        for needle in ["string", "func", "place", "o: order", "log"] {
            assert_eq!(index.symbol_at(0, at(API, needle, 0) + 1), None, "{needle}");
        }
        assert_eq!(index.names(false), ["api", "types"]);
        assert_eq!(index.names(true), ["shop"]);
        assert_eq!(
            index.visible_types(&Scope::Interface("api".into())),
            [
                ("colour".to_string(), Some(TypeKind::Enum)),
                ("order".to_string(), Some(TypeKind::Record))
            ]
        );
    }

    #[test]
    fn roles_for_highlighting() {
        let text = "package a:b@1.0.0;\n@since(version = 1.0.0)\ninterface i {\n  variant v { none, some(u8) }\n  f: func(x: v);\n}\n";
        let index = Index::new(&[("a.wit", text)]);
        let file = &index.files[0];
        let roles: Vec<(&str, Role)> = (0..file.tokens.len())
            .filter(|&t| file.roles[t] != Role::Plain)
            .map(|t| (file.slice(t), file.roles[t]))
            .collect();
        use Role::*;
        assert_eq!(
            roles,
            [
                ("package", Keyword),
                ("a", Package),
                ("b", Package),
                ("1", Version),
                (".", Version),
                ("0", Version),
                (".", Version),
                ("0", Version),
                ("@", Decorator),
                ("since", Decorator),
                ("version", GateKey),
                ("1", Version),
                (".", Version),
                ("0", Version),
                (".", Version),
                ("0", Version),
                ("interface", Keyword),
                ("i", Interface),
                ("variant", Keyword),
                ("v", Type),
                ("none", Case),
                ("some", Case),
                ("u8", BuiltinType),
                ("f", Function),
                ("func", Keyword),
                ("x", Param),
                ("v", Type),
            ]
        );
    }

    #[test]
    fn functions_are_recorded_where_they_are_defined() {
        let text = "interface i {\n  f: func();\n  resource r {\n    constructor();\n    m: func();\n    s: static func();\n  }\n}\nworld w {\n  import g: func();\n  import i;\n}\n";
        let index = Index::new(&[("a.wit", text)]);
        let mut functions: Vec<&str> = index
            .functions
            .iter()
            .map(|&(file, token)| index.files[file].slice(token))
            .collect();
        functions.sort();
        assert_eq!(functions, ["constructor", "f", "g", "m", "s"]);
    }

    #[test]
    fn a_type_left_out_mid_edit_does_not_swallow_the_next_member() {
        let text = "interface i {\n  record r {}\n  f: func() -> \n  g: func(x: r);\n}\n";
        let index = Index::new(&[("a.wit", text)]);
        let r = Sym::Type(Scope::Interface("i".into()), "r".into());
        assert_eq!(index.symbol_at(0, at(text, "r)", 0)).map(|(_, sym)| sym), Some(r));
        assert_eq!(index.symbol_at(0, at(text, "g:", 0)), None);
    }

    #[test]
    fn deeply_nested_types_do_not_exhaust_the_stack() {
        let text = format!("interface i {{ f: func() -> {}u8; }}", "list<".repeat(100_000));
        let index = Index::new(&[("a.wit", &text)]);
        assert!(index.definitions.contains_key(&Sym::Interface("i".into())));
    }

    #[test]
    fn half_typed_text_still_indexes() {
        let text = "interface i {\n  record r { a: r\n  g: func(x: ) -> \n}\nworld w { include ";
        let index = Index::new(&[("a.wit", text)]);
        assert!(index.definitions.contains_key(&Sym::World("w".into())));
        assert!(
            index
                .definitions
                .contains_key(&Sym::Type(Scope::Interface("i".into()), "r".into()))
        );
    }
}
