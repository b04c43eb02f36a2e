import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load test of a running `tfree4j serve`: for each concurrency C, C clients each send R greedy
 * streaming completions (prompt i of a fixed list, W words, a stop text that never occurs) one
 * after another; reports aggregate words/s, p50/p95 time to first word and per-word latency
 * (gaps between a stream's words), failed requests, and whether every output equals the same
 * prompt's output run alone (sequentially, before the concurrent runs).
 *
 *   java tools/loadtest/LoadTest.java URL [--clients 1,4,8,16] [--requests 2] [--words 32]
 *
 * Plain JDK (java.net.http, a regular expression for the few SSE fields it reads), so it runs as
 * a single source file without a build. Exit status 1 when a request failed or an output differed.
 */
public class LoadTest {
    static final String[] PROMPTS = {"In the beginning God created", "And the earth was without form",
            "And God said, Let there be light", "The LORD is my shepherd", "Blessed are the meek",
            "And Moses spake unto the children of Israel", "Now these are the generations", "Honour thy father",
            "For God so loved the world", "In my Father's house are many mansions", "Vanity of vanities",
            "To every thing there is a season", "The heavens declare the glory of God", "Ask, and it shall be given",
            "Love suffereth long", "Remember now thy Creator"};
    static final Pattern TEXT = Pattern.compile("\"text\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    static final Pattern USAGE = Pattern.compile("\"completion_tokens\":(\\d+)");

    record Result(int prompt, String text, int words, long firstWordNanos, List<Long> gaps, String error) {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        List<Integer> clients = List.of(1, 4, 8, 16);
        int requests = 2, words = 32;
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--clients" -> clients = java.util.Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
                case "--requests" -> requests = Integer.parseInt(args[i + 1]);
                case "--words" -> words = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        int maxClients = Collections.max(clients);
        // Each prompt alone first: the outputs every concurrent run must reproduce.
        String[] alone = new String[Math.min(PROMPTS.length, maxClients * requests)];
        for (int p = 0; p < alone.length; p++) {
            Result r = stream(http, url, p, words);
            if (r.error != null) throw new IllegalStateException("sequential run of prompt " + p + ": " + r.error);
            alone[p] = r.text;
        }
        System.out.printf(Locale.ROOT, "| clients | requests | failed | outputs = alone | words | wall s | words/s | vs 1 client "
                + "| TTFW p50 ms | TTFW p95 ms | per-word p50 ms | per-word p95 ms |%n");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        double base = 0;
        boolean ok = true;
        for (int c : clients) {
            List<Result> results = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            int perClient = requests, wordsEach = words;
            try (ExecutorService pool = Executors.newFixedThreadPool(c)) {
                List<Future<?>> running = new ArrayList<>();
                for (int k = 0; k < c; k++) {
                    int client = k;
                    running.add(pool.submit(() -> {
                        for (int j = 0; j < perClient; j++) {
                            results.add(stream(http, url, (client * perClient + j) % alone.length, wordsEach));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) f.get();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            long failed = results.stream().filter(r -> r.error != null).count();
            long same = results.stream().filter(r -> r.error == null && r.text.equals(alone[r.prompt])).count();
            long total = results.stream().mapToLong(Result::words).sum();
            List<Long> ttfw = results.stream().filter(r -> r.error == null).map(Result::firstWordNanos).sorted().toList();
            List<Long> gaps = results.stream().flatMap(r -> r.gaps.stream()).sorted().toList();
            double rate = total / wall;
            if (c == clients.getFirst()) base = rate;
            ok &= failed == 0 && same == results.size() && results.size() == (long) c * requests;
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %d/%d | %d | %.1f | %.1f | %.2fx | %.0f | %.0f | %.1f | %.1f |%n", c,
                    results.size(), failed, same, results.size(), total, wall, rate, rate / base, ms(ttfw, 0.5),
                    ms(ttfw, 0.95), ms(gaps, 0.5), ms(gaps, 0.95));
            for (Result r : results) if (r.error != null) System.out.println("  failed: " + r.error);
        }
        System.exit(ok ? 0 : 1);
    }

    static double ms(List<Long> sorted, double q) {
        if (sorted.isEmpty()) return Double.NaN;
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1e6;
    }

    /** One greedy streaming completion: its text, words, time to the first word and the gaps between words. */
    static Result stream(HttpClient http, String url, int prompt, int words) {
        String body = "{\"prompt\":\"" + PROMPTS[prompt] + "\",\"max_tokens\":" + words
                + ",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"stop\":\"@@@never@@@\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/completions")).timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        try {
            HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                return new Result(prompt, "", 0, 0, List.of(), "HTTP " + response.statusCode());
            }
            StringBuilder text = new StringBuilder();
            List<Long> gaps = new ArrayList<>();
            long first = -1, last = 0;
            int usage = -1;
            boolean done = false;
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (!line.startsWith("data: ")) continue;
                long now = System.nanoTime();
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    continue;
                }
                Matcher u = USAGE.matcher(data);
                if (u.find()) usage = Integer.parseInt(u.group(1));
                Matcher t = TEXT.matcher(data);
                if (t.find() && !t.group(1).isEmpty()) {
                    text.append(t.group(1));
                    if (first < 0) first = now - start;
                    else gaps.add(now - last);
                    last = now;
                }
            }
            if (!done) return new Result(prompt, text.toString(), 0, 0, gaps, "no [DONE]");
            if (usage < 0) return new Result(prompt, text.toString(), 0, 0, gaps, "no usage");
            return new Result(prompt, text.toString(), usage, first, gaps, null);
        } catch (Exception e) {
            return new Result(prompt, "", 0, 0, List.of(), e.toString());
        }
    }
}
