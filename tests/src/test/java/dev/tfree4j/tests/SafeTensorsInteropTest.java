package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.BundledModel;
import dev.tfree4j.convert.ConvertOptions;
import dev.tfree4j.convert.ConvertProgress;
import dev.tfree4j.convert.Converter;
import dev.tfree4j.engine.NativeContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converted files read by an independent reader: a short Python script that parses
 * model.safetensors from the format's description alone (struct + json, no tfree4j code) and
 * compares every tensor with what {@code torch.load} gives for the source checkpoint — byte for
 * byte for kept weights; for int8 weights, against the absmax quantization computed in numpy.
 * Needs Debian's python3-torch (tools/train/setup.sh installs it; CI runs that first).
 */
class SafeTensorsInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private static final String SCRIPT = """
            import json, struct, sys
            import numpy as np, torch

            def check(st, pt):
                raw = open(st, 'rb').read()
                n = struct.unpack('<Q', raw[:8])[0]
                assert (8 + n) % 8 == 0, 'data section must be 8-aligned'
                header = json.loads(raw[8:8 + n].decode('utf-8'))
                data = raw[8 + n:]
                meta = header.pop('__metadata__', {})
                assert all(isinstance(v, str) for v in meta.values())
                spans = sorted(tuple(h['data_offsets']) for h in header.values())
                end = 0
                for b, e in spans:
                    assert b == end, ('gap or overlap at', b, end)
                    end = e
                assert end == len(data), ('trailing bytes', end, len(data))
                sd = torch.load(pt, map_location='cpu')
                weights = [k for k in header if not k.endswith('.scale')]
                assert set(weights) == set(sd), set(weights) ^ set(sd)
                dtypes = {'F32': torch.float32, 'BF16': torch.bfloat16, 'F16': torch.float16}
                int8 = 0
                for k in weights:
                    h, t = header[k], sd[k].contiguous()
                    assert h['shape'] == list(t.shape), k
                    b, e = h['data_offsets']
                    if h['dtype'] == 'I8':
                        w = t.float().numpy()
                        s = (np.abs(w).max(axis=1) / np.float32(127)).astype(np.float32)
                        x = np.where(s[:, None] == 0, np.float32(0), w / np.where(s == 0, 1, s)[:, None]).astype(np.float32)
                        q = np.clip(np.sign(x) * np.floor(np.abs(x).astype(np.float64) + 0.5), -127, 127).astype(np.int8)
                        sh = header[k + '.scale']
                        assert sh['dtype'] == 'F32' and sh['shape'] == [t.shape[0]], k
                        sb, se = sh['data_offsets']
                        assert np.frombuffer(data[sb:se], dtype='<f4').tobytes() == s.tobytes(), k + ' scales'
                        assert np.frombuffer(data[b:e], dtype=np.int8).tobytes() == q.tobytes(), k + ' int8 values'
                        int8 += 1
                    else:
                        assert dtypes[h['dtype']] == t.dtype, (k, h['dtype'], t.dtype)
                        bits = t.view(torch.int16) if t.element_size() == 2 else t.view(torch.int32)
                        assert data[b:e] == bits.numpy().tobytes(), k + ' bytes'
                return 'ok %d %d' % (len(weights), int8)

            args = sys.argv[1:]
            for i in range(0, len(args), 2):
                print(check(args[i], args[i + 1]))
            """;

    @TempDir
    Path tmp;

    @Test
    void anIndependentReaderSeesTheSourceWeights() throws Exception {
        requireTorch();
        Path script = tmp.resolve("check.py");
        Files.writeString(script, SCRIPT);
        Path fixturePt = ReferenceFixture.dir().resolve("checkpoint/transformer/transformer.pt");
        Path bundledPt = BundledModel.locate().resolve("transformer/transformer.pt");
        try (NativeContext context = NativeContext.create(1, NativeContext.Simd.AUTO)) {
            Converter.convert(context, ReferenceFixture.dir().resolve("checkpoint"), tmp.resolve("a"), ConvertOptions.DEFAULT,
                    ConvertProgress.NONE);
            Converter.convert(context, ReferenceFixture.dir().resolve("checkpoint"), tmp.resolve("a8"),
                    ConvertOptions.DEFAULT.withInt8("all"), ConvertProgress.NONE);
            Converter.convert(context, BundledModel.locate(), tmp.resolve("k"), ConvertOptions.DEFAULT, ConvertProgress.NONE);
            Converter.convert(context, BundledModel.locate(), tmp.resolve("k8"), ConvertOptions.DEFAULT.withInt8("all"),
                    ConvertProgress.NONE);
        }
        // 21 / 39 weights, of which 0 or all 2L + 2 components int8
        assertEquals("ok 21 0\nok 21 16\nok 39 0\nok 39 30", python(script,
                tmp.resolve("a/model.safetensors"), fixturePt, tmp.resolve("a8/model.safetensors"), fixturePt,
                tmp.resolve("k/model.safetensors"), bundledPt, tmp.resolve("k8/model.safetensors"), bundledPt));
    }

    /** Runs the script on pairs (model.safetensors, source transformer.pt). */
    private static String python(Path script, Path... pairs) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(PYTHON.toString(), script.toString()));
        for (Path p : pairs) command.add(p.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor() == 0, out);
        return out;
    }

    private static void requireTorch() throws Exception {
        boolean ok = Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import torch, numpy").start().waitFor() == 0;
        if (ok) return;
        String message = "python3-torch is not installed (run tools/train/setup.sh)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message);
        Assumptions.abort(message);
    }
}
