package dev.bourse.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.book.DepthSnapshot;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.shard.CommandOutcome;
import dev.bourse.server.shard.OrderQueries;
import dev.bourse.server.shard.OrderRecord;
import dev.bourse.server.shard.Shard;
import dev.bourse.server.shard.ShardCommand;
import io.helidon.dbclient.DbClientException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's internal API ({@code X-Internal-Token}), used for forwarding between pods, by the
 * operator and by tests: commands on behalf of a user id, order lookup, shard status, the canonical book
 * dump, and funding through the ledger. Amounts are decimal strings, converted exactly or refused.
 */
public final class InternalApi implements HttpService {
    private static final Logger LOG = Logger.getLogger(InternalApi.class.getName());
    private final Shard shard;
    /** Listed instruments and assets by code: lookups, since both are listed while the engine runs. */
    private final Function<String, Instrument> instruments;
    private final Function<String, dev.bourse.asset.Asset> assets;
    private final Ledger ledger;
    private final OrderQueries orders;
    private final byte[] token;

    public InternalApi(Shard shard, Map<String, Instrument> instruments, Map<String, dev.bourse.asset.Asset> assets,
                       Ledger ledger, OrderQueries orders, String internalToken) {
        this(shard, instruments::get, assets::get, ledger, orders, internalToken);
    }

    public InternalApi(Shard shard, Function<String, Instrument> instruments, Function<String, dev.bourse.asset.Asset> assets,
                       Ledger ledger, OrderQueries orders, String internalToken) {
        this.shard = shard;
        this.instruments = instruments;
        this.assets = assets;
        this.ledger = ledger;
        this.orders = orders;
        this.token = internalToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::authorize)
                .post("/orders", this::place)
                .post("/orders/cancel", this::cancel)
                .post("/orders/amend", this::amend)
                .post("/orders/mass-cancel", this::massCancel)
                .get("/orders/{ordId}", this::order)
                .get("/shard", this::shardStatus)
                .get("/books", this::books)
                .get("/depth", this::depth)
                .post("/users", this::createUser)
                .post("/deposits", this::deposit);
    }

    private void authorize(ServerRequest req, ServerResponse res) {
        Optional<String> given = req.headers().first(HeaderNames.create("X-Internal-Token"));
        if (given.isEmpty() || !MessageDigest.isEqual(token, given.get().getBytes(StandardCharsets.UTF_8))) {
            LOG.warning(() -> "internal API: refused " + req.prologue().method() + " " + req.path().path()
                    + " from " + req.remotePeer().address() + " (bad or missing X-Internal-Token)");
            Json.error(res, Status.UNAUTHORIZED_401, "50114", "Invalid authorization.");
            return;
        }
        res.next();
    }

    /** A client error in OKX's shape; the request changes nothing. */
    private static final class BadRequest extends RuntimeException {
        final String code;

        BadRequest(String code, String msg) {
            super(msg, null, false, false);
            this.code = code;
        }
    }

    private void place(ServerRequest req, ServerResponse res) {
        handle(req, res, body -> {
            long user = userId(body);
            Instrument ins = instrument(body);
            Side side = switch (required(body, "side")) {
                case "buy" -> Side.BUY;
                case "sell" -> Side.SELL;
                default -> throw new BadRequest("51000", "Parameter side error");
            };
            OrderType type = OrderType.fromOkx(required(body, "ordType"));
            if (type == null) {
                throw new BadRequest("51000", "Parameter ordType error");
            }
            TargetCurrency tgt = "quote_ccy".equals(Json.text(body, "tgtCcy")) ? TargetCurrency.QUOTE_CCY : TargetCurrency.BASE_CCY;
            long px = type.priced() ? amount(body, "px", ins.priceScale(), true) : 0;
            int szScale = tgt == TargetCurrency.QUOTE_CCY ? ins.quote().scale() : ins.base().scale();
            long sz = amount(body, "sz", szScale, true);
            StpMode stp = switch (Optional.ofNullable(Json.text(body, "stpMode")).orElse("cancel_maker")) {
                case "cancel_maker" -> StpMode.CANCEL_MAKER;
                case "cancel_taker" -> StpMode.CANCEL_TAKER;
                case "cancel_both" -> StpMode.CANCEL_BOTH;
                default -> throw new BadRequest("51000", "Parameter stpMode error");
            };
            String tag = Json.text(body, "tag");
            if (!ShardCommand.validTag(tag)) {
                throw new BadRequest("51000", "Parameter tag error");
            }
            return ShardCommand.place(user, ins.instId(), side, type, px, sz, Json.text(body, "clOrdId")).withStp(stp)
                    .withTargetCurrency(tgt).withTag(tag);
        });
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        handle(req, res, body -> ShardCommand.cancel(userId(body), instrument(body).instId(), ordId(body),
                Json.text(body, "clOrdId")));
    }

    private void amend(ServerRequest req, ServerResponse res) {
        handle(req, res, body -> {
            Instrument ins = instrument(body);
            long newSz = Json.text(body, "newSz") == null ? 0 : amount(body, "newSz", ins.base().scale(), true);
            long newPx = Json.text(body, "newPx") == null ? 0 : amount(body, "newPx", ins.priceScale(), true);
            if (newSz == 0 && newPx == 0) {
                throw new BadRequest("50014", "Parameter newSz or newPx can not be empty.");
            }
            return ShardCommand.amend(userId(body), ins.instId(), ordId(body), Json.text(body, "clOrdId"), newSz, newPx);
        });
    }

    private void massCancel(ServerRequest req, ServerResponse res) {
        handle(req, res, body -> ShardCommand.massCancel(userId(body),
                Json.text(body, "instId") == null ? null : instrument(body).instId()));
    }

    private interface Parser {
        ShardCommand parse(ObjectNode body);
    }

    private void handle(ServerRequest req, ServerResponse res, Parser parser) {
        ObjectNode body = Json.body(req);
        if (body == null) {
            Json.error(res, Status.BAD_REQUEST_400, "50000", "Body for POST request cannot be empty.");
            return;
        }
        ShardCommand cmd;
        try {
            cmd = parser.parse(body);
        } catch (BadRequest e) {
            LOG.info(() -> "internal API: refused " + req.path().path() + ": " + e.getMessage());
            Json.error(res, Status.BAD_REQUEST_400, e.code, e.getMessage());
            return;
        }
        CommandOutcome out;
        try {
            out = shard.submit(cmd).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "internal API: no outcome for " + cmd, e);
            Json.error(res, Status.BAD_REQUEST_400, "50004",
                    "API endpoint request timeout. (does not mean that the request was successful or failed, please check the request result).");
            return;
        }
        ObjectNode d = outcomeJson(out);
        if (out.ok()) {
            Json.ok(res, List.of(d));
        } else if (Shard.CODE_BUSY.equals(out.sCode()) || Shard.CODE_UNAVAILABLE.equals(out.sCode())) {
            Json.send(res, Shard.CODE_BUSY.equals(out.sCode()) ? Status.TOO_MANY_REQUESTS_429 : Status.SERVICE_UNAVAILABLE_503,
                    out.sCode(), out.sMsg(), List.of(d));
        } else {
            Json.send(res, Status.OK_200, "1", "All operations failed", List.of(d));
        }
    }

    private ObjectNode outcomeJson(CommandOutcome out) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("ordId", out.ordId() == 0 ? "" : Long.toString(out.ordId()));
        d.put("clOrdId", out.clOrdId() == null ? "" : out.clOrdId());
        d.put("sCode", out.sCode());
        d.put("sMsg", out.sMsg());
        d.put("seq", Long.toString(out.seq()));
        if (out.order() != null) {
            d.set("order", orderJson(out.order()));
        }
        if (out.count() > 0) {
            d.put("count", out.count());
        }
        if (out.duplicate()) {
            d.put("duplicate", true);
        }
        return d;
    }

    ObjectNode orderJson(OrderRecord o) {
        Instrument ins = instruments.apply(o.instId());
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("ordId", Long.toString(o.ordId()));
        n.put("clOrdId", o.clOrdId() == null ? "" : o.clOrdId());
        n.put("userId", Long.toString(o.userId()));
        n.put("instId", o.instId());
        n.put("side", o.side().okx());
        n.put("ordType", o.type().okx());
        n.put("state", o.state().okx());
        if (ins != null) {
            int szScale = o.tgtCcy() == TargetCurrency.QUOTE_CCY ? ins.quote().scale() : ins.base().scale();
            n.put("px", o.px() == 0 ? "" : Decimals.format(o.px(), ins.priceScale()));
            n.put("sz", Decimals.format(o.sz(), szScale));
            n.put("accFillSz", Decimals.format(o.filledSz(), ins.base().scale()));
            n.put("fillNotional", Decimals.format(o.filledQuote(), ins.quote().scale()));
            n.put("remainingSz", Decimals.format(o.remainingSz(), ins.base().scale()));
            dev.bourse.asset.Asset heldAsset = o.side() == Side.BUY ? ins.quote() : ins.base();
            dev.bourse.asset.Asset feeAsset = o.side() == Side.BUY ? ins.base() : ins.quote();
            n.put("held", Decimals.format(o.held(), heldAsset.scale()));
            n.put("fee", Decimals.format(-o.fee(), feeAsset.scale())); // OKX reports fees as negative amounts
            n.put("feeCcy", feeAsset.code());
        }
        n.put("cancelSource", o.cancelReason() == null ? "" : Integer.toString(o.cancelReason().okxCancelSource()));
        n.put("cTime", Long.toString(o.createdAt()));
        n.put("uTime", Long.toString(o.updatedAt()));
        return n;
    }

    private void order(ServerRequest req, ServerResponse res) {
        long id;
        try {
            id = Long.parseLong(req.path().pathParameters().get("ordId"));
        } catch (NumberFormatException e) {
            Json.error(res, Status.BAD_REQUEST_400, "51000", "Parameter ordId error");
            return;
        }
        try {
            Optional<OrderRecord> o = orders.byId(id);
            if (o.isEmpty()) {
                Json.send(res, Status.OK_200, "51603", "Order does not exist", List.of());
            } else {
                Json.ok(res, List.of(orderJson(o.get())));
            }
        } catch (DbClientException e) {
            LOG.log(Level.WARNING, "order lookup failed", e);
            Json.error(res, Status.SERVICE_UNAVAILABLE_503, Shard.CODE_UNAVAILABLE, Shard.MSG_UNAVAILABLE);
        }
    }

    private void shardStatus(ServerRequest req, ServerResponse res) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("shardId", shard.shardId());
        n.put("epoch", shard.epoch());
        n.put("ready", shard.ready());
        n.put("fenced", shard.fenced());
        n.put("queueLength", shard.queueLength());
        n.put("drained", shard.drained());
        n.put("idle", shard.idle());
        Json.ok(res, List.of(n));
    }

    private void books(ServerRequest req, ServerResponse res) {
        try {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain").send(shard.canonicalBooks().get(30, TimeUnit.SECONDS));
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            Json.error(res, Status.SERVICE_UNAVAILABLE_503, Shard.CODE_UNAVAILABLE, Shard.MSG_UNAVAILABLE);
        }
    }

    /** Default and largest {@code sz} of {@code GET /depth}. */
    static final int DEPTH_DEFAULT_LEVELS = 400;
    public static final int DEPTH_MAX_LEVELS = 5000;

    /**
     * {@code GET /depth?instId=X&sz=N}: the top N levels per side ({@code [px, sz, orderCount]} as decimal
     * strings at the instrument's scales), the book's {@code seqId}, the OKX {@code checksum} of the top
     * 25 levels and {@code ts}. Serves other pods' market data for instruments this shard owns.
     *
     * <p>Commit-consistent: the levels are copied by a task that the sequencer runs between batches
     * ({@link Shard#onSequencer}). The sequencer runs such tasks only at the top of its loop, after the
     * previous batch was committed, its events published and its callers answered (or, on rollback,
     * after memory was rebuilt from the database), and before it takes the next batch. So the copy is
     * exactly the committed book at {@code seqId}, and every book event with a larger seqId comes
     * after it. When the shard is not ready (a failed rebuild may leave uncommitted effects in memory)
     * the snapshot is refused with 50001.
     */
    private void depth(ServerRequest req, ServerResponse res) {
        String instId = req.query().first("instId").orElse("");
        if (instId.isEmpty()) {
            Json.error(res, Status.BAD_REQUEST_400, "50014", "Parameter instId can not be empty.");
            return;
        }
        int levels;
        try {
            levels = req.query().first("sz").map(Integer::parseInt).orElse(DEPTH_DEFAULT_LEVELS);
        } catch (NumberFormatException e) {
            levels = -1;
        }
        if (levels < 1 || levels > DEPTH_MAX_LEVELS) {
            Json.error(res, Status.BAD_REQUEST_400, "51000", "Parameter sz error");
            return;
        }
        if (!shard.ready()) {
            Json.error(res, Status.SERVICE_UNAVAILABLE_503, Shard.CODE_UNAVAILABLE, Shard.MSG_UNAVAILABLE);
            return;
        }
        int n = levels;
        Depth d;
        try {
            d = shard.onSequencer(engine -> {
                int symbol = engine.symbolId(instId);
                if (symbol < 0 || !shard.ready()) {
                    return symbol < 0 ? Depth.UNKNOWN : Depth.NOT_READY;
                }
                Instrument ins = engine.instrument(symbol);
                // copied on the sequencer; formatted and check-summed on this request's thread
                return new Depth(new DepthSnapshot(n).capture(engine.book(symbol)), ins.priceScale(), ins.base().scale(),
                        System.currentTimeMillis());
            }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "internal API: no depth snapshot of " + instId, e);
            Json.error(res, Status.SERVICE_UNAVAILABLE_503, Shard.CODE_UNAVAILABLE, Shard.MSG_UNAVAILABLE);
            return;
        }
        if (d == Depth.UNKNOWN) {
            Json.error(res, Status.BAD_REQUEST_400, "51001", "Instrument ID, Instrument ID code or Spread ID doesn't exist.");
            return;
        }
        if (d == Depth.NOT_READY) {
            Json.error(res, Status.SERVICE_UNAVAILABLE_503, Shard.CODE_UNAVAILABLE, Shard.MSG_UNAVAILABLE);
            return;
        }
        DepthSnapshot snap = d.snapshot();
        ObjectNode n2 = Json.MAPPER.createObjectNode();
        n2.put("instId", instId);
        var asks = n2.putArray("asks");
        for (int i = 0; i < snap.askLevels(); i++) {
            asks.addArray().add(Decimals.format(snap.askPrice(i), d.priceScale()))
                    .add(Decimals.format(snap.askSize(i), d.sizeScale())).add(Integer.toString(snap.askOrders(i)));
        }
        var bids = n2.putArray("bids");
        for (int i = 0; i < snap.bidLevels(); i++) {
            bids.addArray().add(Decimals.format(snap.bidPrice(i), d.priceScale()))
                    .add(Decimals.format(snap.bidSize(i), d.sizeScale())).add(Integer.toString(snap.bidOrders(i)));
        }
        n2.put("seqId", snap.seqId());
        n2.put("checksum", snap.checksum(d.priceScale(), d.sizeScale()));
        n2.put("ts", Long.toString(d.ts()));
        Json.ok(res, List.of(n2));
    }

    private record Depth(DepthSnapshot snapshot, int priceScale, int sizeScale, long ts) {
        static final Depth UNKNOWN = new Depth(null, 0, 0, -1);
        static final Depth NOT_READY = new Depth(null, 0, 0, -2);
    }

    private void createUser(ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.body(req);
        String name = body == null ? null : Json.text(body, "name");
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            Json.error(res, Status.BAD_REQUEST_400, "51000", "Parameter name error");
            return;
        }
        try {
            long id = ledger.accountId(name);
            if (id < 0) {
                id = ledger.createUser(name);
            }
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("userId", Long.toString(id));
            n.put("name", name);
            Json.ok(res, List.of(n));
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "create user failed", e);
            Json.error(res, Status.SERVICE_UNAVAILABLE_503, Shard.CODE_UNAVAILABLE, Shard.MSG_UNAVAILABLE);
        }
    }

    private void deposit(ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.body(req);
        if (body == null) {
            Json.error(res, Status.BAD_REQUEST_400, "50000", "Body for POST request cannot be empty.");
            return;
        }
        try {
            long user = userId(body);
            dev.bourse.asset.Asset asset = assets.apply(required(body, "ccy"));
            if (asset == null) {
                throw new BadRequest("51000", "Parameter ccy error");
            }
            long amt = amount(body, "amt", asset.scale(), true);
            String key = required(body, "key");
            boolean posted = ledger.deposit(key, user, asset.id(), amt);
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("key", key);
            n.put("posted", posted);
            Json.ok(res, List.of(n));
        } catch (BadRequest e) {
            Json.error(res, Status.BAD_REQUEST_400, e.code, e.getMessage());
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "deposit failed", e);
            Json.error(res, Status.SERVICE_UNAVAILABLE_503, Shard.CODE_UNAVAILABLE, Shard.MSG_UNAVAILABLE);
        }
    }

    // ------------------------------------------------------------------ parameters

    private static String required(ObjectNode body, String field) {
        String v = Json.text(body, field);
        if (v == null) {
            throw new BadRequest("50014", "Parameter " + field + " can not be empty.");
        }
        return v;
    }

    private static long userId(ObjectNode body) {
        try {
            long id = Long.parseLong(required(body, "userId"));
            if (id <= 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new BadRequest("51000", "Parameter userId error");
        }
    }

    private static long ordId(ObjectNode body) {
        String v = Json.text(body, "ordId");
        if (v == null) {
            if (Json.text(body, "clOrdId") == null) {
                throw new BadRequest("50014", "Parameter ordId can not be empty.");
            }
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadRequest("51000", "Parameter ordId error");
        }
    }

    private Instrument instrument(ObjectNode body) {
        Instrument ins = instruments.apply(required(body, "instId"));
        if (ins == null) {
            throw new BadRequest("51001", "Instrument ID, Instrument ID code or Spread ID doesn't exist.");
        }
        return ins;
    }

    /** A positive decimal in units of 10^-scale; more digits than the scale, or anything else, is refused. */
    private static long amount(ObjectNode body, String field, int scale, boolean positive) {
        String v = required(body, field);
        try {
            long units = Decimals.parse(v, scale);
            if (positive && units <= 0) {
                throw new BadRequest("51000", "Parameter " + field + " error");
            }
            return units;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new BadRequest("51000", "Parameter " + field + " error");
        }
    }
}
