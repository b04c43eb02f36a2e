package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code tfree4j serve} processes on loopback behind a real nginx (Debian's package, run as
 * this user with its own prefix, config from tools/replicas/nginx.conf). A load runs through nginx;
 * one replica gets SIGTERM mid-run. No request may hang: each answers 200 with the same words the
 * survivor gives, or fails with a clear error status; once the replica is gone, every new request
 * is served by the survivor.
 */
class ReplicasBehindNginxTest {
    private static final Pattern LISTENING = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)/v1");
    private static final Duration REQUEST_LIMIT = Duration.ofSeconds(60);   // "hangs" = no answer within this
    private static final String[] PROMPTS = {"In the beginning God created", "And the LORD said unto Moses",
            "Blessed are the poor in spirit", "The LORD is my shepherd"};

    @Test
    void aStoppedReplicaLosesNoRequest(@TempDir Path dir) throws Exception {
        Path nginx = nginxBinary();
        List<Process> processes = new ArrayList<>();
        try {
            Process replicaA = startReplica(processes);
            Process replicaB = startReplica(processes);
            int portA = port(replicaA), portB = port(replicaB);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            awaitHealthy(http, portA);
            awaitHealthy(http, portB);

            int front = freePort();
            startNginx(nginx, dir, front, List.of(portA, portB), processes);
            URI base = URI.create("http://127.0.0.1:" + front);
            awaitHealthyThrough(http, base);

            // What each prompt must give (greedy: both replicas answer alike), asked of B directly.
            Map<String, String> expected = new ConcurrentHashMap<>();
            for (String p : PROMPTS) expected.put(p, completion(http, URI.create("http://127.0.0.1:" + portB), p).body());

            AtomicInteger ok = new AtomicInteger(), failedClearly = new AtomicInteger();
            AtomicBoolean stopped = new AtomicBoolean();
            List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = Executors.newFixedThreadPool(6);
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int client = c;
                load.add(clients.submit(() -> {
                    for (int i = 0; !stopped.get() || i < 30; i++) {
                        if (i >= 200) break;
                        String prompt = PROMPTS[(client + i) % PROMPTS.length];
                        try {
                            HttpResponse<String> r = completion(http, base, prompt);
                            if (r.statusCode() == 200) {
                                if (!expected.get(prompt).equals(r.body())) problems.add("wrong answer for '" + prompt + "': " + r.body());
                                ok.incrementAndGet();
                            } else if (r.statusCode() >= 500 && !r.body().isBlank()) {
                                failedClearly.incrementAndGet();
                            } else {
                                problems.add("status " + r.statusCode() + " without a clear error: '" + r.body() + "'");
                            }
                        } catch (HttpTimeoutException e) {
                            problems.add("a request hung (no answer in " + REQUEST_LIMIT + ")");
                        } catch (IOException e) {
                            problems.add("transport failure through nginx: " + e);
                        }
                    }
                    return null;
                }));
            }
            // Let the load reach both replicas, then stop A while requests are in flight on it.
            long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (ok.get() < 20 && System.nanoTime() < until) Thread.sleep(20);
            assertTrue(ok.get() >= 20, "the load runs through nginx");
            replicaA.destroy(); // SIGTERM
            assertTrue(replicaA.waitFor(30, TimeUnit.SECONDS), "the stopped replica exits within its grace period");
            assertEquals(0, replicaA.exitValue());
            int okBeforeGone = ok.get();
            stopped.set(true);
            for (Future<?> f : load) f.get(5, TimeUnit.MINUTES);
            clients.shutdown();

            assertTrue(problems.isEmpty(), problems.size() + " problems, first: " + (problems.isEmpty() ? "" : problems.getFirst()));
            assertTrue(ok.get() - okBeforeGone >= 6 * 20, "after the stop, new requests are served (by the survivor)");
            // Only B is left: everything from now on is B's.
            double servedByB = metric(http, portB);
            for (String p : PROMPTS) {
                HttpResponse<String> r = completion(http, base, p);
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(expected.get(p), r.body());
            }
            assertEquals(servedByB + PROMPTS.length, metric(http, portB), "the survivor served the requests after the stop");
            System.out.printf("replicas behind nginx: %d answered, %d failed with a clear error, 0 hung%n", ok.get(), failedClearly.get());
        } finally {
            for (Process p : processes) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    private static Path nginxBinary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) return Path.of(candidate);
        }
        String message = "no nginx binary (/usr/sbin/nginx): the replica test needs Debian's nginx (bash tools/replicas/setup.sh)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message);
        Assumptions.abort(message);
        return null;
    }

    private static Process startReplica(List<Process> processes) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dtfree4j.root=" + System.getProperty("tfree4j.root"), "-Dtfree4j.device=cpu",
                "-cp", System.getProperty("java.class.path"), "dev.tfree4j.cli.Main",
                "serve", "--port", "0", "--threads", "1", "--shutdown-grace", "5");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    /** The port the replica prints; its later output is drained so it never blocks on a full pipe. */
    private static int port(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the replica exited before it listened");
    }

    private static void startNginx(Path nginx, Path prefix, int port, List<Integer> replicas, List<Process> processes)
            throws Exception {
        StringBuilder servers = new StringBuilder();
        for (int r : replicas) servers.append("server 127.0.0.1:").append(r).append(" max_fails=1 fail_timeout=10s;\n        ");
        Path template = Path.of(System.getProperty("tfree4j.root"), "tools", "replicas", "nginx.conf");
        String conf = Files.readString(template).replace("@PREFIX@", prefix.toString())
                .replace("@LISTEN@", "127.0.0.1:" + port).replace("@SERVERS@", servers.toString().strip());
        Path confFile = Files.writeString(prefix.resolve("nginx.conf"), conf);
        Files.createDirectories(prefix.resolve("logs"));   // nginx opens its default log before reading the config
        Process p = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", confFile.toString(),
                "-g", "daemon off; master_process on;" + (isRoot() ? " user root;" : ""))
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
        processes.add(p);
        if (p.waitFor(1, TimeUnit.SECONDS)) {
            throw new AssertionError("nginx exited at once: " + Files.readString(prefix.resolve("nginx.out"))
                    + (Files.exists(prefix.resolve("error.log")) ? Files.readString(prefix.resolve("error.log")) : ""));
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitHealthy(HttpClient http, int port) throws Exception {
        awaitHealthyThrough(http, URI.create("http://127.0.0.1:" + port));
    }

    private static void awaitHealthyThrough(HttpClient http, URI base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, base + " became healthy within 2 minutes");
            Thread.sleep(100);
        }
    }

    /** A greedy completion; the body reduced to its text (ids and timestamps differ per request). */
    private static HttpResponse<String> completion(HttpClient http, URI base, String prompt) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/completions")).timeout(REQUEST_LIMIT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + prompt + "\",\"max_tokens\":24}")).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) return r;
        Matcher text = Pattern.compile("\"text\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(r.body());
        assertTrue(text.find(), r.body());
        String body = text.group(1);
        return new HttpResponse<>() {
            public int statusCode() { return 200; }
            public HttpRequest request() { return r.request(); }
            public java.util.Optional<HttpResponse<String>> previousResponse() { return r.previousResponse(); }
            public java.net.http.HttpHeaders headers() { return r.headers(); }
            public String body() { return body; }
            public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return r.sslSession(); }
            public URI uri() { return r.uri(); }
            public HttpClient.Version version() { return r.version(); }
        };
    }

    /** The replica's count of 200 answers to /v1/completions, from its /metrics. */
    private static double metric(HttpClient http, int port) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.contains("completions") || !line.contains("\"200\"")) continue;
            if (line.contains("chat")) continue;
            sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return sum;
    }
}
