package dev.bourse.bench.load;

import dev.bourse.bench.cli.CliArgs.UsageException;
import dev.bourse.client.rest.gate.RouteLimit;
import dev.bourse.client.rest.trade.OrderType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadOptionsTest {

    @Test
    void defaultsAreAUsableRun() {
        LoadOptions o = LoadOptions.parse(new String[0]);
        assertEquals("http://127.0.0.1:8080", o.url());
        assertEquals(20, o.traders());
        assertEquals(10, o.makers());
        assertEquals(10, o.takers());
        assertEquals(1000, o.rate());
        assertEquals(Duration.ofSeconds(30), o.duration());
        assertEquals(Duration.ofSeconds(5), o.warmup());
        assertEquals(LoadOptions.Entry.REST, o.entry());
        assertTrue(o.gate());
        assertEquals(16, o.maxConcurrent());
        assertEquals(8, o.maxInflight());
        assertEquals(0.7, o.makerMix().share(OrderType.POST_ONLY), 1e-12);
        assertEquals(0.2, o.takerMix().share(OrderType.MARKET), 1e-12);
        assertEquals(Path.of("load-report"), o.out());
        assertNull(o.secrets());
        assertTrue(o.symbols().isEmpty());
        assertFalse(o.keepOrders());
    }

    @Test
    void readsEveryOptionInBothSpellings() {
        LoadOptions o = LoadOptions.parse(new String[]{"--url", "http://h:9/", "--traders=8", "--makers", "3",
                "--symbols", "BTC-USDT,ETH-USDT", "--mid", "BTC-USDT=60000", "--mid=ETH-USDT=3000.5", "--rate", "250.5",
                "--duration", "2m", "--warmup", "500ms", "--entry", "WS", "--no-gate", "--route-limit",
                "trade/order=600/2s,trade/cancel-order=600/2s", "--max-inflight", "3", "--maker-mix", "limit=1",
                "--taker-mix", "ioc=1", "--quotes", "2", "--levels", "4", "--amend-share", "0", "--spread-bps", "4",
                "--step-bps", "1", "--notional", "25.5", "--fund", "5000", "--user-prefix", "lt.1", "--out", "/tmp/x",
                "--timeout", "3s", "--seed", "42", "--keep-orders", "--secrets", "s.properties",
                "--setup-parallelism", "2"});
        assertEquals("http://h:9", o.url());
        assertEquals(8, o.traders());
        assertEquals(3, o.makers());
        assertEquals(List.of("BTC-USDT", "ETH-USDT"), o.symbols());
        assertEquals(new BigDecimal("60000"), o.mids().get("BTC-USDT"));
        assertEquals(new BigDecimal("3000.5"), o.mids().get("ETH-USDT"));
        assertEquals(250.5, o.rate());
        assertEquals(Duration.ofMinutes(2), o.duration());
        assertEquals(Duration.ofMillis(500), o.warmup());
        assertEquals(LoadOptions.Entry.WS, o.entry());
        assertFalse(o.gate());
        assertEquals(List.of(new RouteLimit("trade/order", 600, Duration.ofSeconds(2)),
                new RouteLimit("trade/cancel-order", 600, Duration.ofSeconds(2))), o.routeLimits());
        assertEquals(3, o.maxInflight());
        assertEquals(1.0, o.makerMix().share(OrderType.LIMIT));
        assertEquals(2, o.quotes());
        assertEquals(4, o.levels());
        assertEquals(0, o.amendShare());
        assertEquals(new BigDecimal("25.5"), o.notional());
        assertEquals("lt.1", o.userPrefix());
        assertEquals(Duration.ofSeconds(3), o.timeout());
        assertEquals(42, o.seed());
        assertTrue(o.keepOrders());
        assertEquals(Path.of("s.properties"), o.secrets());
        assertEquals("ws", o.plan().get("entry"));
        assertEquals("off", o.plan().get("gate"));
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertMessage("unknown option --trader", "--trader", "3");
        assertMessage("--traders needs a value", "--traders");
        assertMessage("--traders must be a whole number", "--traders", "x");
        assertMessage("--makers must be between 1 and 3", "--traders", "4", "--makers", "4");
        assertMessage("--entry must be rest or ws", "--entry", "fix");
        assertMessage("--duration must be a duration", "--duration", "30");
        assertMessage("--duration must be at least 1s", "--duration", "500ms");
        assertMessage("--mid entries are INST=PRICE", "--mid", "BTC-USDT");
        assertMessage("--mid price must be positive", "--mid", "BTC-USDT=-1");
        assertMessage("--route-limit entries are rule=limit/window", "--route-limit", "trade/order=600");
        assertMessage("--route-limit limit must be at least 1", "--route-limit", "trade/order=0/2s");
        assertMessage("--rate must be between", "--rate", "0");
        assertMessage("--user-prefix must be", "--user-prefix", "a b");
        assertMessage("--no-gate takes no value", "--no-gate=yes");
        assertMessage("unexpected argument: x", "x");
        assertEquals("", assertThrows(UsageException.class, () -> LoadOptions.parse(new String[]{"--help"}))
                .getMessage(), "--help: usage without an error");
    }

    private static void assertMessage(String expected, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> LoadOptions.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
