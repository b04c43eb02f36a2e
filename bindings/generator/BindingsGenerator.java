import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Generates tfree4j's Panama bindings from native/include/tfree4j.h, in the shape jextract 22
 * gives them (a header class with constants and function wrappers, one class per struct).
 *
 * <p>jextract is not available everywhere, and our header is deliberately simple, so this
 * generator understands only the C subset the header uses:
 * <pre>
 *   typedef enum name { A = 0, B = -1, C, ... } name;       // constants only
 *   typedef struct name { type field; ... } name;            // by-value fields, no arrays/bitfields
 *   typedef struct name name;                                // opaque handle
 *   TF_API type name(type param, ...);                       // or (void)
 * </pre>
 * where a type is void, a fixed-width integer, float, double, char (behind a pointer), an enum
 * (an int), or any pointer ({@code T*}, {@code const T*}, {@code T**}: an address). Comments,
 * preprocessor lines and {@code extern "C" { }} are skipped. Anything else is an error naming
 * the line, so the header cannot silently drift out of what the bindings describe.
 *
 * <p>Layouts follow the LP64 C ABI of our platforms (linux-x86_64, linux-aarch64,
 * osx-aarch64): every scalar is aligned to its size, pointers are 8 bytes.
 *
 * <p>With {@code --select FILE}, it instead binds a chosen subset of a foreign header it could
 * not parse whole (the CUDA runtime's: see "Selected declarations" below and
 * bindings/cuda/cuda-runtime.select); that mode also lays out {@code int}, {@code unsigned int},
 * {@code size_t}, arrays and nested structs, exposing only the selected fields.
 *
 * <p>Run with the JDK's source launcher:
 * {@code java bindings/generator/BindingsGenerator.java native/include/tfree4j.h bindings/src/main/java dev.tfree4j.bindings}.
 * The output is deterministic (declaration order of the header). bindings' tests call
 * {@link #generate} and {@link #describe} to check the committed sources.
 */
public final class BindingsGenerator {

    /** First line of every generated file; files carrying it are ours to overwrite or delete. */
    public static final String MARKER = "// Generated from %s by bindings/generator — do not edit.";

    /**
     * What the generated code is called and how it finds its library: the header class, the
     * hand-written loader class beside it (with static {@code lookup()} and {@code path()}), and
     * what an unresolved symbol most likely means (one generated source line per element).
     */
    record Target(String headerClass, String loader, List<String> staleHint) {}

    static final Target TFREE4J = new Target("tfree4j_h", "NativeLibrary", List.of(
            "the native library is older than its bindings", " (rebuild it: ./build.sh package) or the function is not implemented yet"));

    public static void main(String[] args) throws IOException {
        boolean select = args.length == 5 && args[0].equals("--select");
        if (args.length != 3 && !select) {
            System.err.println("usage: java BindingsGenerator.java <header.h> <source root> <package>\n"
                    + "   or: java BindingsGenerator.java --select <selection file> <include dir> <source root> <package>");
            System.exit(2);
        }
        Path dir = Path.of(args[args.length - 2]).resolve(args[args.length - 1].replace('.', '/'));
        Map<String, String> files = select
                ? generateSelection(Path.of(args[1]), Path.of(args[2]), args[4])
                : generate(Path.of(args[0]), args[2]);
        Files.createDirectories(dir);
        // Remove generated files whose declaration has disappeared from the header.
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                if (!files.containsKey(p.getFileName().toString()) && isGenerated(Files.readString(p))) {
                    Files.delete(p);
                    System.out.println("deleted " + p);
                }
            }
        }
        for (var e : files.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
        System.out.println("wrote " + files.size() + " files to " + dir);
    }

    /** Whether a Java source was written by this generator. */
    public static boolean isGenerated(String source) {
        return source.startsWith("// Generated from ") && source.lines().findFirst().orElse("").contains("by bindings/generator");
    }

    /** File name -> content of every generated source, sorted by file name. */
    public static Map<String, String> generate(Path header, String pkg) throws IOException {
        return emit(parse(header), MARKER.formatted(displayName(header)), pkg, TFREE4J, header.getFileName().toString());
    }

    static Map<String, String> emit(Header h, String marker, String pkg, Target target, String headerName) {
        Map<String, String> files = new TreeMap<>();
        files.put(target.headerClass + ".java", emitHeaderClass(h, marker, pkg, target, headerName));
        for (Struct s : h.structs) {
            if (s.fields != null) files.put(s.name + ".java", emitStruct(s, marker, pkg, target));
        }
        return files;
    }

    /**
     * The API the header implies, one line per constant, function and struct, in terms a test can
     * recompute by reflection from compiled bindings (ours or jextract's):
     * {@code constant TF_OK = 0}, {@code function tf_add(MemorySegment, MemorySegment, MemorySegment, long) -> int},
     * {@code struct tf_context_params size 8: n_threads@0 int, simd@4 int}.
     */
    public static List<String> describe(Path header) throws IOException {
        Header h = parse(header);
        List<String> out = new ArrayList<>();
        for (Constant c : h.constants) out.add("constant " + c.name + " = " + c.value);
        for (Function f : h.functions) {
            out.add("function " + f.name + "(" + String.join(", ", f.params.stream().map(p -> p.type.javaType()).toList())
                    + ") -> " + f.ret.javaType());
        }
        for (Struct s : h.structs) {
            if (s.fields == null) continue;
            Layout l = layout(s);
            List<String> members = new ArrayList<>();
            for (Slot slot : l.slots) if (slot.field != null) members.add(slot.field.name + "@" + slot.offset + " " + slot.field.type.javaType());
            out.add("struct " + s.name + " size " + l.size + ": " + String.join(", ", members));
        }
        return out;
    }

    /** "native/include/tfree4j.h": the header's path from the directory holding native/. */
    static String displayName(Path header) {
        Path abs = header.toAbsolutePath().normalize();
        for (Path p = abs.getParent(); p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals("native") && p.getParent() != null) {
                return p.getParent().relativize(abs).toString().replace('\\', '/');
            }
        }
        return abs.getFileName().toString();
    }

    // ------------------------------------------------------------------------------------------
    // Model
    // ------------------------------------------------------------------------------------------

    /** A scalar C type's Java view: its layout constant in tfree4j_h, layout class, carrier. */
    enum Kind {
        VOID(1, null, null, "void"),
        I8(1, "C_CHAR", "OfByte", "byte"),
        I16(2, "C_SHORT", "OfShort", "short"),
        I32(4, "C_INT", "OfInt", "int"),
        I64(8, "C_LONG", "OfLong", "long"),
        F32(4, "C_FLOAT", "OfFloat", "float"),
        F64(8, "C_DOUBLE", "OfDouble", "double"),
        PTR(8, "C_POINTER", "AddressLayout", "MemorySegment");

        final int size; final String layout, layoutClass, java;
        Kind(int size, String layout, String layoutClass, String java) {
            this.size = size; this.layout = layout; this.layoutClass = layoutClass; this.java = java;
        }
    }

    /**
     * A C type as written (for doc comments) and the kind it is passed as; byValue is the struct
     * of a by-value struct field (selected headers only: it is laid out, never exposed).
     */
    record CType(String spelling, Kind kind, Struct byValue) {
        CType(String spelling, Kind kind) { this(spelling, kind, null); }
        String javaType() { return kind.java; }
        /** "const float *x", "int64_t n" */
        String declare(String name) { return spelling.endsWith("*") ? spelling + name : spelling + " " + name; }
    }
    record Constant(String name, long value, String enumName) {}
    record Param(String name, CType type) {}
    record Function(String name, CType ret, List<Param> params) {
        String prototype() {
            return ret.declare(name) + "(" + (params.isEmpty() ? "void"
                    : String.join(", ", params.stream().map(p -> p.type.declare(p.name)).toList())) + ")";
        }
    }
    /** count > 0: an array {@code type name[count]} (selected headers only). */
    record Field(String name, CType type, int count) {
        Field(String name, CType type) { this(name, type, 0); }
        long size() { return elementSize() * Math.max(count, 1); }
        long elementSize() { return type.byValue != null ? layout(type.byValue).size : type.kind.size; }
        long align() { return type.byValue != null ? layout(type.byValue).align : type.kind.size; }
        String declare() { return type.declare(name) + (count > 0 ? "[" + count + "]" : ""); }
    }
    /** fields == null: an opaque struct. exposed: the fields the bindings expose (null: all); the others are padding. */
    record Struct(String name, List<Field> fields, Set<String> exposed) {
        Struct(String name, List<Field> fields) { this(name, fields, null); }
        boolean exposes(Field f) { return exposed == null || exposed.contains(f.name); }
    }
    record Header(List<Constant> constants, List<Function> functions, List<Struct> structs) {}

    /** One member of a struct layout: a field, or padding (field == null) of size bytes. */
    record Slot(Field field, long offset, long size) {}
    record Layout(List<Slot> slots, long size, long align) {}

    /**
     * C struct layout: each field at the next multiple of its alignment (an array's is its
     * element's, a nested struct's its largest member's), size rounded up to the largest.
     * Fields the struct does not expose become padding, merged with their neighbours.
     */
    static Layout layout(Struct s) {
        List<Slot> slots = new ArrayList<>();
        long offset = 0, maxAlign = 1;
        for (Field f : s.fields) {
            long size = f.size(), align = f.align();
            long aligned = (offset + align - 1) / align * align;
            if (aligned > offset) addPadding(slots, offset, aligned - offset);
            if (s.exposes(f)) slots.add(new Slot(f, aligned, size));
            else addPadding(slots, aligned, size);
            offset = aligned + size;
            maxAlign = Math.max(maxAlign, align);
        }
        long size = (offset + maxAlign - 1) / maxAlign * maxAlign;
        if (size > offset) addPadding(slots, offset, size - offset);
        return new Layout(slots, size, maxAlign);
    }

    private static void addPadding(List<Slot> slots, long offset, long size) {
        Slot last = slots.isEmpty() ? null : slots.getLast();
        if (last != null && last.field == null) slots.set(slots.size() - 1, new Slot(null, last.offset, last.size + size));
        else slots.add(new Slot(null, offset, size));
    }

    // ------------------------------------------------------------------------------------------
    // Parser
    // ------------------------------------------------------------------------------------------

    /** file: where the token comes from when a parser reads several files (else null: the parser's file). */
    record Token(String text, int line, Path file) {
        Token(String text, int line) { this(text, line, null); }
    }

    static final Map<String, Kind> BUILTIN = Map.ofEntries(
            Map.entry("void", Kind.VOID), Map.entry("char", Kind.I8),
            Map.entry("int8_t", Kind.I8), Map.entry("uint8_t", Kind.I8),
            Map.entry("int16_t", Kind.I16), Map.entry("uint16_t", Kind.I16),
            Map.entry("int32_t", Kind.I32), Map.entry("uint32_t", Kind.I32),
            Map.entry("int64_t", Kind.I64), Map.entry("uint64_t", Kind.I64),
            Map.entry("float", Kind.F32), Map.entry("double", Kind.F64));

    static final Set<String> RESERVED = Set.of("layout", "sizeof", "allocate", "allocateArray", "asSlice", "reinterpret");

    static Header parse(Path header) throws IOException {
        return new Parser(tokenize(Files.readString(header, StandardCharsets.UTF_8)), header).parse();
    }

    /** Identifiers, numbers, string literals and single punctuation characters, with line numbers. */
    static List<Token> tokenize(String src) {
        List<Token> out = new ArrayList<>();
        int line = 1, i = 0, n = src.length();
        boolean lineStart = true;
        while (i < n) {
            char c = src.charAt(i);
            if (c == '\n') { line++; i++; lineStart = true; continue; }
            if (Character.isWhitespace(c)) { i++; continue; }
            if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                if (end < 0) throw new IllegalArgumentException("line " + line + ": unterminated comment");
                line += (int) src.substring(i, end).chars().filter(ch -> ch == '\n').count();
                i = end + 2;
                continue;
            }
            if (src.startsWith("//", i) || (c == '#' && lineStart)) {  // comment or preprocessor line
                while (i < n && src.charAt(i) != '\n') {
                    if (c == '#' && src.charAt(i) == '\\' && i + 1 < n && src.charAt(i + 1) == '\n') { line++; i++; }
                    i++;
                }
                continue;
            }
            lineStart = false;
            int start = i;
            if (Character.isJavaIdentifierStart(c) || Character.isDigit(c)) {
                while (i < n && Character.isJavaIdentifierPart(src.charAt(i))) i++;
            } else if (c == '"') {
                i = src.indexOf('"', i + 1) + 1;
                if (i == 0) throw new IllegalArgumentException("line " + line + ": unterminated string");
            } else {
                i++;
            }
            out.add(new Token(src.substring(start, i), line));
        }
        return out;
    }

    static final class Parser {
        final List<Token> tokens;
        final Path file;
        int pos;
        final Map<String, Kind> types = new LinkedHashMap<>(BUILTIN);
        final List<Constant> constants = new ArrayList<>();
        final List<Function> functions = new ArrayList<>();
        final List<Struct> structs = new ArrayList<>();
        /** Finds the declarations of type names used but not yet seen (selected headers only; null for ours). */
        Resolver resolver;
        /** Typedef names of structs usable by value (selected headers only). */
        final Map<String, Struct> valueTypes = new LinkedHashMap<>();

        Parser(List<Token> tokens, Path file) { this.tokens = tokens; this.file = file; }

        Header parse() {
            while (pos < tokens.size()) {
                if (accept("extern")) { expectString(); expect("{"); }
                else if (accept("}")) { /* end of extern "C" */ }
                else if (accept("typedef")) typedef();
                else if (accept("TF_API")) function();
                else throw error("unsupported declaration starting with '" + peek() + "'");
            }
            return new Header(List.copyOf(constants), List.copyOf(functions), List.copyOf(structs));
        }

        void typedef() {
            if (accept("enum")) {
                String name = ident();
                constants.addAll(enumBody(name));
                expect(name);
                expect(";");
                types.put(name, Kind.I32);
            } else if (accept("struct")) {
                String name = ident();
                if (accept(name)) {  // typedef struct name name;
                    expect(";");
                    structs.add(new Struct(name, null));
                    types.put(name, null);  // usable behind a pointer only
                    return;
                }
                List<Field> fields = structBody(name);
                expect(name);
                expect(";");
                structs.add(new Struct(name, fields));
                types.put(name, null);  // by-value struct parameters/fields are not supported
            } else {
                throw error("only 'typedef enum' and 'typedef struct' are supported");
            }
        }

        /** { A = 0, B = -1, C, ... } */
        List<Constant> enumBody(String name) {
            expect("{");
            List<Constant> out = new ArrayList<>();
            long next = 0;
            while (!accept("}")) {
                String constant = ident();
                if (accept("=")) {
                    boolean negative = accept("-");
                    String digits = ident();
                    try {
                        next = Long.decode(digits) * (negative ? -1 : 1);
                    } catch (NumberFormatException e) {
                        throw error("enum value of " + constant + " must be an integer literal, got '" + digits + "'");
                    }
                }
                out.add(new Constant(constant, next++, name));
                if (!accept(",")) { expect("}"); break; }
            }
            return out;
        }

        /** { type field; type array[N]; ... } (arrays only where by-value structs are allowed: selected headers). */
        List<Field> structBody(String name) {
            expect("{");
            List<Field> fields = new ArrayList<>();
            while (!accept("}")) {
                CType type = type(true);
                String field = ident();
                if (type.kind == Kind.VOID) throw error("field " + field + " has type void");
                if (RESERVED.contains(field)) throw error("field name " + field + " clashes with a generated method");
                int count = 0;
                if (accept("[")) {
                    if (resolver == null) throw error("array field " + field + " is not supported");
                    String n = ident();
                    try {
                        count = Integer.decode(n);
                    } catch (NumberFormatException e) {
                        throw error("array length of " + field + " must be an integer literal, got '" + n + "'");
                    }
                    expect("]");
                }
                fields.add(new Field(field, type, count));
                expect(";");
            }
            if (fields.isEmpty()) throw error("struct " + name + " has no fields");
            return List.copyOf(fields);
        }

        void function() {
            CType ret = type(false);
            String name = ident();
            expect("(");
            List<Param> params = new ArrayList<>();
            if (peek().equals("void") && peekAt(1).equals(")")) pos++;
            while (!accept(")")) {
                if (!params.isEmpty()) expect(",");
                CType type = type(false);
                String pname = peek().equals(",") || peek().equals(")") ? "x" + params.size() : ident();
                if (type.kind == Kind.VOID) throw error("parameter " + pname + " of " + name + " has type void");
                params.add(new Param(javaSafe(pname), type));
            }
            expect(";");
            functions.add(new Function(name, ret, List.copyOf(params)));
        }

        /**
         * [const] base [const] {* [const]}; in selected headers base may also be {@code enum X},
         * {@code struct X}, {@code unsigned int}, or a typedef that the resolver finds, and a field
         * may be a struct by value (laid out, never exposed).
         */
        CType type(boolean isField) {
            boolean isConst = accept("const");
            String base = ident();
            Struct byValue = null;
            if (resolver != null) {
                switch (base) {
                    case "enum" -> {
                        base = "enum " + ident();
                        types.put(base, Kind.I32);
                    }
                    case "struct" -> {
                        String tag = ident();
                        base = "struct " + tag;
                        if (peek().equals("*") || peekAt(1).equals("*")) types.putIfAbsent(base, null);
                        else byValue = resolver.struct(tag);
                    }
                    case "unsigned" -> {
                        accept("int");
                        base = "unsigned int";
                    }
                    default -> {
                        if (!types.containsKey(base) && !valueTypes.containsKey(base)) {
                            TypeDef d = resolver.typedef(base);
                            if (d.byValue != null) valueTypes.put(base, d.byValue);
                            else types.put(base, d.kind);
                        }
                        byValue = valueTypes.get(base);
                    }
                }
            }
            if (!types.containsKey(base) && byValue == null) throw error("unknown type '" + base + "'");
            isConst |= accept("const");
            int pointers = 0;
            while (accept("*")) { pointers++; accept("const"); }
            String spelling = (isConst ? "const " : "") + base + (pointers > 0 ? " " + "*".repeat(pointers) : "");
            if (pointers == 0 && byValue != null) {
                if (!isField) throw error(base + " is a struct: it can only be passed behind a pointer");
                return new CType(spelling, Kind.I8, byValue);
            }
            Kind kind = pointers > 0 ? Kind.PTR : types.get(base);
            if (kind == null) throw error("struct " + base + " can only be used behind a pointer");
            boolean charArray = isField && resolver != null && peekAt(1).equals("[");
            if (pointers == 0 && base.equals("char") && !charArray) throw error("plain char is not supported (use int8_t)");
            return new CType(spelling, kind);
        }

        static String javaSafe(String name) {
            return switch (name) {
                case "abstract", "boolean", "byte", "case", "catch", "class", "default", "do", "final", "finally",
                     "import", "instanceof", "interface", "native", "new", "package", "private", "protected",
                     "public", "super", "synchronized", "this", "throw", "throws", "transient", "try", "var" -> name + "_";
                default -> name;
            };
        }

        String peek() { return peekAt(0); }
        String peekAt(int k) { return pos + k < tokens.size() ? tokens.get(pos + k).text : "<end of file>"; }
        boolean accept(String t) {
            if (peek().equals(t)) { pos++; return true; }
            return false;
        }
        void expect(String t) {
            if (!accept(t)) throw error("expected '" + t + "' but found '" + peek() + "'");
        }
        void expectString() {
            if (!peek().startsWith("\"")) throw error("expected a string literal but found '" + peek() + "'");
            pos++;
        }
        String ident() {
            String t = peek();
            if (t.isEmpty() || !Character.isJavaIdentifierPart(t.charAt(0))) throw error("expected a name but found '" + t + "'");
            pos++;
            return t;
        }
        IllegalArgumentException error(String msg) {
            Token at = tokens.isEmpty() ? new Token("", 1) : tokens.get(Math.min(pos, tokens.size() - 1));
            return new IllegalArgumentException((at.file != null ? at.file : file) + ":" + at.line + ": " + msg);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Selected declarations of a foreign header (the CUDA runtime)
    // ------------------------------------------------------------------------------------------

    /*
     * A foreign header (cuda_runtime_api.h, driver_types.h) is full of C this generator does not
     * understand, so it is not parsed from top to bottom: a selection file names the functions,
     * enum constants and struct fields wanted, each declaration is found by its name in the
     * token stream and parsed there with the parser above, and the type names it uses
     * (typedefs, by-value structs) are looked up the same way when first met. Qualifier macros
     * the selection lists under "ignore" (extern, __host__, CUDARTAPI, ...) are dropped first.
     * A name declared twice (e.g. in two preprocessor branches) is an error, never a guess.
     */

    /** Scalar types of foreign headers beyond ours (LP64). */
    static final Map<String, Kind> C_TYPES = Map.of("int", Kind.I32, "unsigned int", Kind.I32, "size_t", Kind.I64);

    /**
     * A selection file: one directive per line, {@code #} comments.
     * <pre>
     *   header   FILE...             headers to read, relative to the include directory
     *   version  MACRO               a #define whose value goes into the generated files' first line
     *   class    NAME                the generated header class
     *   loader   NAME                the hand-written class with lookup() and path() that loads the library
     *   stale    TEXT                what an unresolved symbol most likely means
     *   ignore   TOKEN...            qualifier macros to drop
     *   function NAME...
     *   enum     NAME: CONSTANT...   constants of an enum (by value: the enum is an int)
     *   struct   NAME: FIELD...      a struct, laid out completely, exposing these fields
     * </pre>
     */
    record Selection(List<String> headers, String version, Target target, Set<String> ignore, List<String> functions,
                     Map<String, List<String>> enums, Map<String, List<String>> structs) {

        static Selection read(Path file) throws IOException {
            List<String> headers = new ArrayList<>(), functions = new ArrayList<>();
            List<String> ignore = new ArrayList<>();
            Map<String, List<String>> enums = new LinkedHashMap<>(), structs = new LinkedHashMap<>();
            Map<String, String> single = new LinkedHashMap<>();
            int lineNo = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNo++;
                line = line.replaceFirst("#.*", "").strip();
                if (line.isEmpty()) continue;
                String[] kv = line.split("\\s+", 2);
                String rest = kv.length > 1 ? kv[1].strip() : "";
                List<String> words = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
                switch (kv[0]) {
                    case "header" -> headers.addAll(words);
                    case "ignore" -> ignore.addAll(words);
                    case "function" -> functions.addAll(words);
                    case "version", "class", "loader", "stale" -> single.put(kv[0], rest);
                    case "enum", "struct" -> {
                        int colon = rest.indexOf(':');
                        if (colon < 0) throw new IllegalArgumentException(file + ":" + lineNo + ": expected '" + kv[0] + " NAME: ...'");
                        List<String> names = List.of(rest.substring(colon + 1).strip().split("\\s+"));
                        (kv[0].equals("enum") ? enums : structs).computeIfAbsent(rest.substring(0, colon).strip(),
                                k -> new ArrayList<>()).addAll(names);
                    }
                    default -> throw new IllegalArgumentException(file + ":" + lineNo + ": unknown directive '" + kv[0] + "'");
                }
            }
            for (String key : List.of("class", "loader", "stale")) {
                if (!single.containsKey(key)) throw new IllegalArgumentException(file + ": no '" + key + "' line");
            }
            if (headers.isEmpty()) throw new IllegalArgumentException(file + ": no 'header' line");
            return new Selection(headers, single.get("version"),
                    new Target(single.get("class"), single.get("loader"), List.of(single.get("stale"))),
                    Set.copyOf(ignore), functions, enums, structs);
        }
    }

    /**
     * The bindings of a selection's declarations from the headers in includeDir, as
     * {@link #generate} returns them (file name -> content).
     */
    public static Map<String, String> generateSelection(Path selectionFile, Path includeDir, String pkg) throws IOException {
        Selection sel = Selection.read(selectionFile);
        List<Token> tokens = new ArrayList<>();
        String version = null;
        for (String name : sel.headers) {
            Path file = includeDir.resolve(name);
            String src = Files.readString(file, StandardCharsets.UTF_8);
            for (Token t : tokenize(src)) {
                if (!sel.ignore.contains(t.text)) tokens.add(new Token(t.text, t.line, file));
            }
            if (sel.version != null && version == null) {
                var m = java.util.regex.Pattern.compile("(?m)^\\s*#\\s*define\\s+" + sel.version + "\\s+(\\S+)").matcher(src);
                if (m.find()) version = sel.version + " " + m.group(1);
            }
        }
        if (sel.version != null && version == null) {
            throw new IllegalArgumentException(includeDir + ": no #define " + sel.version + " in " + sel.headers);
        }
        Parser p = new Parser(tokens, includeDir);
        p.types.putAll(C_TYPES);
        Finder finder = new Finder(p);
        p.resolver = finder;

        List<Constant> constants = new ArrayList<>();
        for (var e : sel.enums.entrySet()) {
            Map<String, Constant> all = new LinkedHashMap<>();
            for (Constant c : finder.at(List.of("enum", e.getKey(), "{"), 2, () -> p.enumBody(e.getKey()))) all.put(c.name, c);
            for (String name : e.getValue()) {
                Constant c = all.get(name);
                if (c == null) throw new IllegalArgumentException("enum " + e.getKey() + " has no constant " + name + " in " + sel.headers);
                constants.add(c);
            }
        }
        List<Struct> structs = new ArrayList<>();
        for (var e : sel.structs.entrySet()) {
            Struct full = finder.struct(e.getKey());
            for (String name : e.getValue()) {
                Field f = full.fields.stream().filter(x -> x.name.equals(name)).findFirst().orElseThrow(
                        () -> new IllegalArgumentException("struct " + e.getKey() + " has no field " + name + " in " + sel.headers));
                if (f.type.byValue != null) throw new IllegalArgumentException("struct " + e.getKey() + "." + name
                        + " is itself a struct: only scalars and arrays of scalars can be exposed");
            }
            structs.add(new Struct(e.getKey(), full.fields, Set.copyOf(e.getValue())));
        }
        List<Function> functions = new ArrayList<>();
        for (String name : sel.functions) {
            int at = finder.find(List.of(name, "("), name + "(");
            int start = at;
            while (start > 0 && !Set.of(";", "{", "}").contains(tokens.get(start - 1).text)) start--;
            p.pos = start;
            p.function();
            functions.add(p.functions.removeLast());
        }
        String marker = MARKER.formatted(String.join(", ", sel.headers) + (version != null ? " (" + version + ")" : ""));
        return emit(new Header(constants, functions, structs), marker, pkg, sel.target, String.join(", ", sel.headers));
    }

    /** Finds declarations by name in a parser's tokens and parses them there, restoring its position. */
    static final class Finder implements Resolver {
        final Parser p;
        final Map<String, Struct> structs = new LinkedHashMap<>();

        Finder(Parser p) { this.p = p; }

        /** The index of the one place where tokens {@code pattern} occur in a row. */
        int find(List<String> pattern, String what) {
            List<Integer> hits = new ArrayList<>();
            for (int i = 0; i + pattern.size() <= p.tokens.size(); i++) {
                boolean match = true;
                for (int k = 0; k < pattern.size() && match; k++) match = p.tokens.get(i + k).text.equals(pattern.get(k));
                if (match) hits.add(i);
            }
            if (hits.isEmpty()) throw new IllegalArgumentException(p.file + ": cannot find '" + what + "' in the selected headers");
            if (hits.size() > 1) {
                p.pos = hits.get(1);
                throw p.error("'" + what + "' is declared more than once (preprocessor branches?); first at line "
                        + p.tokens.get(hits.get(0)).line);
            }
            return hits.getFirst();
        }

        /** Parses with {@code body} at the found pattern + skip, then restores the parser's position. */
        <T> T at(List<String> pattern, int skip, java.util.function.Supplier<T> body) {
            int saved = p.pos;
            p.pos = find(pattern, String.join(" ", pattern)) + skip;
            try {
                return body.get();
            } finally {
                p.pos = saved;
            }
        }

        @Override
        public Struct struct(String tag) {
            Struct s = structs.get(tag);
            if (s == null) {
                s = new Struct(tag, at(List.of("struct", tag, "{"), 2, () -> p.structBody(tag)), Set.of());
                structs.put(tag, s);
            }
            return s;
        }

        /** typedef enum X NAME; typedef struct X NAME; typedef BUILTIN NAME; */
        @Override
        public TypeDef typedef(String name) {
            int at = find(List.of(name, ";"), "typedef ... " + name + ";");
            List<String> before = new ArrayList<>();
            for (int k = Math.max(0, at - 3); k < at; k++) before.add(p.tokens.get(k).text);
            if (before.size() == 3 && before.get(0).equals("typedef") && before.get(1).equals("enum")) return new TypeDef(Kind.I32, null);
            if (before.size() == 3 && before.get(0).equals("typedef") && before.get(1).equals("struct")) return new TypeDef(null, struct(before.get(2)));
            if (before.size() >= 2 && before.get(before.size() - 2).equals("typedef") && p.types.get(before.getLast()) != null) {
                return new TypeDef(p.types.get(before.getLast()), null);
            }
            p.pos = at;
            throw p.error("'" + name + "' is not a typedef of an enum, a struct or a scalar");
        }
    }

    /** What a type name stands for: a scalar kind, or a struct usable by value. */
    record TypeDef(Kind kind, Struct byValue) {}

    /** Looks up type names a selected declaration uses. */
    interface Resolver {
        Struct struct(String tag);
        TypeDef typedef(String name);
    }

    // ------------------------------------------------------------------------------------------
    // Emitters
    // ------------------------------------------------------------------------------------------

    static String emitHeaderClass(Header h, String marker, String pkg, Target target, String headerName) {
        StringBuilder sb = new StringBuilder();
        sb.append("""
                %s

                package %s;

                import java.lang.foreign.*;
                import java.lang.invoke.MethodHandle;
                import java.lang.invoke.MethodHandles;
                import java.lang.invoke.MethodType;

                import static java.lang.foreign.ValueLayout.*;

                /**
                 * Constants and functions of {@code %3$s}. Each function's downcall handle is
                 * created on first use; the library is found and loaded by {@link %5$s}.
                 */
                @SuppressWarnings("restricted")
                public class %4$s {

                    %4$s() {
                        // Should not be called directly
                    }

                    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
                    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
                    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
                    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
                    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
                    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
                    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
                            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));
                    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

                    /** The symbol's address, or null when it cannot be found (see {@link #unresolved}). */
                    static MemorySegment findOrNull(String symbol) {
                        try {
                            return %5$s.lookup().find(symbol).orElse(null);
                        } catch (UnsatisfiedLinkError e) {
                            return null;
                        }
                    }

                    /** A downcall handle for address, or one of the same type that throws {@link #unresolved}. */
                    static MethodHandle downcallHandle(String symbol, MemorySegment address, FunctionDescriptor descriptor) {
                        if (address != null) {
                            return Linker.nativeLinker().downcallHandle(address, descriptor);
                        }
                        MethodType type = descriptor.toMethodType();
                        MethodHandle thrower = MethodHandles.insertArguments(UNRESOLVED, 0, symbol)
                                .asType(MethodType.methodType(type.returnType()));
                        return MethodHandles.dropArguments(thrower, 0, type.parameterList());
                    }

                    static MemorySegment requireAddress(String symbol, MemorySegment address) {
                        return address != null ? address : (MemorySegment) unresolved(symbol);
                    }

                    private static final MethodHandle UNRESOLVED;
                    static {
                        try {
                            UNRESOLVED = MethodHandles.lookup().findStatic(%4$s.class, "unresolved",
                                    MethodType.methodType(Object.class, String.class));
                        } catch (ReflectiveOperationException e) {
                            throw new ExceptionInInitializerError(e);
                        }
                    }

                    /** Throws the reason symbol is unavailable: the library cannot be loaded, or lacks it. */
                    private static Object unresolved(String symbol) {
                        %5$s.lookup();  // throws %5$s's explanation if the library cannot be loaded
                        throw new UnsatisfiedLinkError("unresolved symbol: " + symbol + " is not exported by "
                                + %5$s.path() + "; %6$s");
                    }
                """.formatted(marker, pkg, headerName, target.headerClass, target.loader,
                String.join("\"\n                + \"", target.staleHint)));

        String lastEnum = null;
        for (Constant c : h.constants) {
            if (!c.enumName.equals(lastEnum)) {
                sb.append("\n    // enum ").append(c.enumName).append("\n");
                lastEnum = c.enumName;
            }
            sb.append("""

                    private static final int %1$s = (int)%2$dL;
                    /**
                     * {@snippet lang=c :
                     * enum %3$s.%1$s = %2$d
                     * }
                     */
                    public static int %1$s() {
                        return %1$s;
                    }
                """.formatted(c.name, c.value, c.enumName));
        }

        for (Function f : h.functions) {
            List<String> descriptor = new ArrayList<>();
            if (f.ret.kind != Kind.VOID) descriptor.add(target.headerClass + "." + f.ret.kind.layout);
            for (Param p : f.params) descriptor.add(target.headerClass + "." + p.type.kind.layout);
            String desc = (f.ret.kind == Kind.VOID ? "FunctionDescriptor.ofVoid(" : "FunctionDescriptor.of(")
                    + (descriptor.isEmpty() ? "" : "\n            " + String.join(",\n            ", descriptor) + "\n        ") + ")";
            String params = String.join(", ", f.params.stream().map(p -> p.type.javaType() + " " + p.name).toList());
            String args = String.join(", ", f.params.stream().map(Param::name).toList());
            String call = f.ret.kind == Kind.VOID ? "mh$.invokeExact(" + args + ");"
                    : "return (" + f.ret.javaType() + ")mh$.invokeExact(" + args + ");";
            sb.append("""

                    private static class %1$s {
                        public static final FunctionDescriptor DESC = %2$s;

                        public static final MemorySegment ADDR = %7$s.findOrNull("%1$s");

                        public static final MethodHandle HANDLE = %7$s.downcallHandle("%1$s", ADDR, DESC);
                    }

                    /**
                     * Function descriptor for:
                     * {@snippet lang=c :
                     * %3$s
                     * }
                     */
                    public static FunctionDescriptor %1$s$descriptor() {
                        return %1$s.DESC;
                    }

                    /**
                     * Downcall method handle for:
                     * {@snippet lang=c :
                     * %3$s
                     * }
                     */
                    public static MethodHandle %1$s$handle() {
                        return %1$s.HANDLE;
                    }

                    /**
                     * Address for:
                     * {@snippet lang=c :
                     * %3$s
                     * }
                     */
                    public static MemorySegment %1$s$address() {
                        return %7$s.requireAddress("%1$s", %1$s.ADDR);
                    }

                    /**
                     * {@snippet lang=c :
                     * %3$s
                     * }
                     */
                    public static %4$s %1$s(%5$s) {
                        var mh$ = %1$s.HANDLE;
                        try {
                            %6$s
                        } catch (Error | RuntimeException ex$) {
                            throw ex$;
                        } catch (Throwable ex$) {
                            throw new AssertionError("should not reach here", ex$);
                        }
                    }
                """.formatted(f.name, desc, f.prototype(), f.ret.javaType(), params, call, target.headerClass));
        }
        sb.append("}\n");
        return sb.toString();
    }

    static String emitStruct(Struct s, String marker, String pkg, Target target) {
        Layout l = layout(s);
        List<String> members = new ArrayList<>();
        StringBuilder fields = new StringBuilder();
        StringBuilder cDecl = new StringBuilder();
        for (Slot slot : l.slots) {
            if (slot.field == null) {
                members.add("MemoryLayout.paddingLayout(" + slot.size + ")");
                continue;
            }
            Field f = slot.field;
            Kind k = f.type.kind;
            cDecl.append("\n *     ").append(f.declare()).append(";");
            if (f.count > 0) {
                members.add("MemoryLayout.sequenceLayout(" + f.count + ", " + target.headerClass + "." + k.layout
                        + ").withName(\"" + f.name + "\")");
                fields.append(emitArrayField(f, slot.offset));
                continue;
            }
            String layoutType = k == Kind.PTR ? "AddressLayout" : "ValueLayout." + k.layoutClass;
            members.add(target.headerClass + "." + k.layout + ".withName(\"" + f.name + "\")");
            fields.append("""

                    private static final %2$s %1$s$LAYOUT = (%2$s)$LAYOUT.select(groupElement("%1$s"));

                    /**
                     * Layout for field:
                     * {@snippet lang=c :
                     * %4$s
                     * }
                     */
                    public static final %2$s %1$s$layout() {
                        return %1$s$LAYOUT;
                    }

                    private static final long %1$s$OFFSET = %5$d;

                    /**
                     * Offset for field:
                     * {@snippet lang=c :
                     * %4$s
                     * }
                     */
                    public static final long %1$s$offset() {
                        return %1$s$OFFSET;
                    }

                    /**
                     * Getter for field:
                     * {@snippet lang=c :
                     * %4$s
                     * }
                     */
                    public static %3$s %1$s(MemorySegment struct) {
                        return struct.get(%1$s$LAYOUT, %1$s$OFFSET);
                    }

                    /**
                     * Setter for field:
                     * {@snippet lang=c :
                     * %4$s
                     * }
                     */
                    public static void %1$s(MemorySegment struct, %3$s fieldValue) {
                        struct.set(%1$s$LAYOUT, %1$s$OFFSET, fieldValue);
                    }
                """.formatted(f.name, layoutType, k.java, f.type.declare(f.name), slot.offset));
        }
        return """
                %1$s

                package %2$s;

                import java.lang.foreign.*;
                import java.util.function.Consumer;

                import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

                /**
                 * {@snippet lang=c :
                 * typedef struct %3$s {%4$s
                 * } %3$s;
                 * }%9$s
                 * Size %5$d bytes, alignment %6$d.
                 */
                @SuppressWarnings("restricted")
                public class %3$s {

                    %3$s() {
                        // Should not be called directly
                    }

                    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
                        %7$s
                    ).withName("%3$s");

                    /**
                     * The layout of this struct
                     */
                    public static final GroupLayout layout() {
                        return $LAYOUT;
                    }
                %8$s
                    /**
                     * Obtains a slice of {@code arrayParam} which selects the array element at {@code index}.
                     * The returned segment has address {@code arrayParam.address() + index * layout().byteSize()}
                     */
                    public static MemorySegment asSlice(MemorySegment array, long index) {
                        return array.asSlice(layout().byteSize() * index, layout());
                    }

                    /**
                     * The size (in bytes) of this struct
                     */
                    public static long sizeof() { return layout().byteSize(); }

                    /**
                     * Allocate a segment of size {@code layout().byteSize()} using {@code allocator}
                     */
                    public static MemorySegment allocate(SegmentAllocator allocator) {
                        return allocator.allocate(layout());
                    }

                    /**
                     * Allocate an array of size {@code elementCount} using {@code allocator}.
                     * The returned segment has size {@code elementCount * layout().byteSize()}.
                     */
                    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
                        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
                    }

                    /**
                     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
                     * The returned segment has size {@code layout().byteSize()}
                     */
                    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
                        return reinterpret(addr, 1, arena, cleanup);
                    }

                    /**
                     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
                     * The returned segment has size {@code elementCount * layout().byteSize()}
                     */
                    public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {
                        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);
                    }
                }
                """.formatted(marker, pkg, s.name, cDecl, l.size, l.align,
                String.join(",\n        ", members), fields,
                s.exposed == null ? "" : "\n * Only the fields above are bound; the others are padding of the same size.");
    }

    /** An array field: its layout, offset and a getter returning its bytes as a slice (no setter). */
    static String emitArrayField(Field f, long offset) {
        return """

                    private static final SequenceLayout %1$s$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("%1$s"));

                    /**
                     * Layout for field:
                     * {@snippet lang=c :
                     * %2$s
                     * }
                     */
                    public static final SequenceLayout %1$s$layout() {
                        return %1$s$LAYOUT;
                    }

                    private static final long %1$s$OFFSET = %3$d;

                    /**
                     * Offset for field:
                     * {@snippet lang=c :
                     * %2$s
                     * }
                     */
                    public static final long %1$s$offset() {
                        return %1$s$OFFSET;
                    }

                    /**
                     * The bytes of field (a slice of {@code struct}):
                     * {@snippet lang=c :
                     * %2$s
                     * }
                     */
                    public static MemorySegment %1$s(MemorySegment struct) {
                        return struct.asSlice(%1$s$OFFSET, %1$s$LAYOUT.byteSize());
                    }
                """.formatted(f.name, f.declare(), offset);
    }
}
