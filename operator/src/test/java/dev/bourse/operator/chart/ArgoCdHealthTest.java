package dev.bourse.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Argo CD health checks of charts/bourse/argocd, run with a real Lua 5.1 interpreter (Argo CD runs them on
 * gopher-lua, a Lua 5.1). The interpreter is the Debian package lua5.1 (`.ci/run` installs it); outside CI the
 * Lua cases are skipped when it is missing, in CI they fail.
 */
class ArgoCdHealthTest {
    private static final Path DIR = RepoFiles.chart().resolve("argocd");
    private static final String KEY = "resource.customizations.health.trading.bourse.dev_";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static JsonNode checks;
    private static String lua;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void load() throws IOException {
        checks = YAML.readTree(DIR.resolve("argocd-cm-health.yaml").toFile()).get("data");
        lua = findLua();
    }

    @Test
    void thereIsACheckForEachCustomResourceInBothForms() throws IOException {
        for (String kind : List.of("TradingSymbol", "TradingSwitch", "WalletPolicy", "LedgerReconciliation")) {
            assertTrue(checks.has(KEY + kind), kind);
        }
        assertEquals(4, checks.size());
        JsonNode values = YAML.readTree(DIR.resolve("argocd-values.yaml").toFile()).at("/configs/cm");
        assertEquals(names(checks), names(values), "argocd-values.yaml (argo-cd chart) lists the same checks");
        for (String key : names(checks)) {
            assertTrue(checks.get(key).equals(values.get(key)),
                    key + " differs between argocd-cm-health.yaml and argocd-values.yaml");
        }
        assertTrue(RepoFiles.read(RepoFiles.resolve("docs/argocd-health.md")).contains("argocd-cm-health.yaml"));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // kind | resource (JSON) | expected status | expected message fragment
            "TradingSymbol | {'metadata':{'generation':1}} | Progressing | Waiting for the operator",
            "TradingSymbol | {'metadata':{'generation':2},'status':{'observedGeneration':2,'conditions':[{'type':'Ready','status':'True','reason':'Ready','message':'live on shard 1','observedGeneration':2}]}} | Healthy | live on shard 1",
            "TradingSymbol | {'metadata':{'generation':3},'status':{'observedGeneration':2,'conditions':[{'type':'Ready','status':'True','reason':'Ready','observedGeneration':2}]}} | Progressing | generation 3",
            "TradingSymbol | {'metadata':{'generation':2},'status':{'conditions':[{'type':'Ready','status':'False','reason':'Moving','message':'to shard 1','observedGeneration':2}]}} | Progressing | Moving: to shard 1",
            "TradingSymbol | {'metadata':{'generation':2},'status':{'conditions':[{'type':'Ready','status':'False','reason':'MoveFailed','message':'shard 1 not ready','observedGeneration':2}]}} | Degraded | MoveFailed: shard 1 not ready",
            "TradingSymbol | {'metadata':{'generation':2},'status':{'conditions':[{'type':'Halted','status':'True','observedGeneration':2},{'type':'Ready','status':'False','reason':'BreakerHalted','message':'moved 25%','observedGeneration':2}]}} | Degraded | BreakerHalted",
            "TradingSymbol | {'metadata':{'generation':2},'status':{'conditions':[{'type':'Ready','status':'Unknown','reason':'EngineUnreachable','observedGeneration':2}]}} | Progressing | EngineUnreachable",
            "TradingSwitch | {'metadata':{'generation':1},'spec':{'mode':'PauseOrders'}} | Progressing | Waiting for the operator",
            "TradingSwitch | {'metadata':{'generation':1},'spec':{'mode':'PauseOrders'},'status':{'conditions':[{'type':'Applied','status':'True','observedGeneration':1}]}} | Healthy | Applied",
            "TradingSwitch | {'metadata':{'generation':1},'spec':{'mode':'PauseOrders'},'status':{'conditions':[{'type':'Applied','status':'False','reason':'WaitingForPods','message':'1 of 2 confirmed','observedGeneration':1}]}} | Progressing | 1 of 2 confirmed",
            "TradingSwitch | {'metadata':{'generation':1},'spec':{'mode':'PauseOrders'},'status':{'conditions':[{'type':'Applied','status':'False','reason':'EngineRefused','message':'unknown field','observedGeneration':1}]}} | Degraded | EngineRefused: unknown field",
            "TradingSwitch | {'metadata':{'generation':4},'spec':{'drain':true},'status':{'conditions':[{'type':'Applied','status':'True','observedGeneration':4},{'type':'Drained','status':'False','reason':'Draining','message':'shard 1: 12 queued','observedGeneration':4}]}} | Progressing | shard 1: 12 queued",
            "TradingSwitch | {'metadata':{'generation':4},'spec':{'drain':true},'status':{'conditions':[{'type':'Applied','status':'True','observedGeneration':4},{'type':'Drained','status':'True','observedGeneration':3}]}} | Progressing | generation 4",
            "TradingSwitch | {'metadata':{'generation':4},'spec':{'drain':true},'status':{'conditions':[{'type':'Applied','status':'True','observedGeneration':4}]}} | Progressing | report Drained",
            "TradingSwitch | {'metadata':{'generation':4},'spec':{'drain':true},'status':{'conditions':[{'type':'Applied','status':'True','observedGeneration':4},{'type':'Drained','status':'True','observedGeneration':4}]}} | Healthy | Applied and drained",
            "WalletPolicy | {'metadata':{'generation':5},'status':{'observedGeneration':5,'conditions':[{'type':'Applied','status':'True','reason':'Applied','message':'version 7'}]}} | Healthy | version 7",
            "WalletPolicy | {'metadata':{'generation':5},'status':{'observedGeneration':4,'conditions':[{'type':'Applied','status':'True'}]}} | Progressing | generation 5",
            "WalletPolicy | {'metadata':{'generation':5},'status':{'observedGeneration':5,'conditions':[{'type':'Applied','status':'False','reason':'Rejected','message':'maxWithdrawal has 9 decimals'}]}} | Degraded | Rejected: maxWithdrawal",
            "LedgerReconciliation | {'metadata':{'generation':1},'status':{'phase':'Running'}} | Progressing | Running",
            "LedgerReconciliation | {'metadata':{'generation':1},'status':{'phase':'Succeeded','summary':'clean','conditions':[{'type':'Succeeded','status':'True','reason':'Clean','message':'0 anomalies','observedGeneration':1}]}} | Healthy | 0 anomalies",
            "LedgerReconciliation | {'metadata':{'generation':1},'status':{'phase':'Failed','anomalies':2,'conditions':[{'type':'Succeeded','status':'False','reason':'AnomaliesFound','message':'2 anomalies','observedGeneration':1}]}} | Degraded | AnomaliesFound: 2 anomalies",
            "LedgerReconciliation | {'metadata':{'generation':1},'status':{'phase':'Failed','summary':'job deadline exceeded'}} | Degraded | job deadline exceeded",
    })
    void healthFollowsTheConditionsAtTheCurrentGeneration(String kind, String resource, String status, String message)
            throws Exception {
        Assumptions.assumeTrue(lua != null || System.getenv("CI") != null,
                "no Lua 5.1 interpreter (apt-get install lua5.1, or set LUA=/path/to/lua)");
        if (lua == null) {
            throw new AssertionError("CI needs a Lua 5.1 interpreter for the Argo CD health checks: apt-get install lua5.1");
        }
        JsonNode obj = JSON.readTree(resource.replace('\'', '"'));
        String[] result = run(checks.get(KEY + kind).asText(), obj);
        assertEquals(status, result[0], kind + " " + resource + " -> " + result[1]);
        assertTrue(result[1].contains(message), "message '" + result[1] + "' should contain '" + message + "'");
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Runs a check the way Argo CD does: {@code obj} is a global table, the chunk returns {status, message}. */
    private static String[] run(String script, JsonNode obj) throws Exception {
        Path check = Files.writeString(tmp.resolve("check.lua"), script);
        Path driver = Files.writeString(tmp.resolve("driver.lua"), "obj = " + luaValue(obj) + "\n"
                + "local hs = assert(loadfile(arg[1]))()\n"
                + "io.write(tostring(hs.status), '\\n', tostring(hs.message), '\\n')\n");
        Process p = new ProcessBuilder(lua, driver.toString(), check.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "lua did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.split("\n", -1);
        return new String[]{lines[0], lines.length > 1 ? lines[1] : ""};
    }

    /** A JSON value as a Lua table constructor (null fields are left out, as Argo CD's conversion does). */
    static String luaValue(JsonNode n) {
        if (n.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    sb.append('[').append(luaString(e.getKey())).append("]=").append(luaValue(e.getValue())).append(',');
                }
            }
            return sb.append('}').toString();
        }
        if (n.isArray()) {
            StringBuilder sb = new StringBuilder("{");
            n.forEach(v -> sb.append(luaValue(v)).append(','));
            return sb.append('}').toString();
        }
        if (n.isTextual()) {
            return luaString(n.asText());
        }
        return n.isNull() ? "nil" : n.toString();
    }

    private static String luaString(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    private static String findLua() {
        String given = System.getenv("LUA");
        if (given != null && !given.isBlank()) {
            return given;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : List.of("lua5.1", "luajit", "lua")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }
}
