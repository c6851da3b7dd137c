package dev.bourse.server.trading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;
import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.http.Json;
import dev.bourse.server.shard.CommandOutcome;
import dev.bourse.server.shard.Shard;
import dev.bourse.server.shard.ShardCommand;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@link OrderEntry} over the shards: an instrument owned by this pod's shard goes to its queue, any other
 * is forwarded to the owning pod's internal API. Parsing follows OKX V5 for spot cash trading; every
 * amount is converted exactly to the instrument's units or refused.
 */
public final class ShardOrderEntry implements OrderEntry {
    private static final Logger LOG = Logger.getLogger(ShardOrderEntry.class.getName());
    private static final Pattern CL_ORD_ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final String TIMEOUT_MSG =
            "API endpoint request timeout. (does not mean that the request was successful or failed, please check the request result).";
    private static final long TIMEOUT_SECONDS = 10;

    private final InstrumentCatalog catalog;
    private final Shard local;
    private final ShardForwarder forwarder;
    private final MeterRegistry meters;

    public ShardOrderEntry(InstrumentCatalog catalog, Shard local, ShardForwarder forwarder, MeterRegistry meters) {
        this.catalog = catalog;
        this.local = local;
        this.forwarder = forwarder;
        this.meters = meters;
    }

    @Override
    public CompletableFuture<ObjectNode> place(ApiPrincipal who, JsonNode args) {
        String clOrdId = optional(args, "clOrdId");
        String tag = optional(args, "tag");
        try {
            InstrumentCatalog.Listed l = instrument(args);
            Instrument ins = l.instrument();
            String tdMode = required(args, "tdMode");
            if (!"cash".equals(tdMode)) {
                throw new OrderArgs("51000", "Parameter tdMode error");
            }
            Side side = switch (required(args, "side")) {
                case "buy" -> Side.BUY;
                case "sell" -> Side.SELL;
                default -> throw OrderArgs.bad("side");
            };
            OrderType type = OrderType.fromOkx(required(args, "ordType"));
            if (type == null) {
                throw OrderArgs.bad("ordType");
            }
            // OKX: a spot market buy is sized in quote currency unless tgtCcy says otherwise
            String tgtText = optional(args, "tgtCcy");
            TargetCurrency tgt;
            if (tgtText == null) {
                tgt = type == OrderType.MARKET && side == Side.BUY ? TargetCurrency.QUOTE_CCY : TargetCurrency.BASE_CCY;
            } else {
                tgt = switch (tgtText) {
                    case "base_ccy" -> TargetCurrency.BASE_CCY;
                    case "quote_ccy" -> TargetCurrency.QUOTE_CCY;
                    default -> throw OrderArgs.bad("tgtCcy");
                };
                if (tgt == TargetCurrency.QUOTE_CCY && type != OrderType.MARKET) {
                    throw OrderArgs.bad("tgtCcy");
                }
            }
            long px = 0;
            if (type.priced()) {
                px = amount(args, "px", ins.priceScale());
            }
            long sz = amount(args, "sz", tgt == TargetCurrency.QUOTE_CCY ? ins.quote().scale() : ins.base().scale());
            StpMode stp = switch (optionalOr(args, "stpMode", "cancel_maker")) {
                case "cancel_maker" -> StpMode.CANCEL_MAKER;
                case "cancel_taker" -> StpMode.CANCEL_TAKER;
                case "cancel_both" -> StpMode.CANCEL_BOTH;
                default -> throw OrderArgs.bad("stpMode");
            };
            checkClOrdId(clOrdId);
            if (!ShardCommand.validTag(tag)) {
                throw OrderArgs.bad("tag");
            }
            ShardCommand cmd = ShardCommand.place(who.userId(), ins.instId(), side, type, px, sz, clOrdId).withStp(stp)
                    .withTargetCurrency(tgt).withTag(tag);
            java.util.function.Supplier<ObjectNode> body = () -> { // built only when the order is forwarded
                ObjectNode b = Json.MAPPER.createObjectNode();
                b.put("userId", Long.toString(who.userId()));
                b.put("instId", ins.instId());
                b.put("side", side.okx());
                b.put("ordType", type.okx());
                if (type.priced()) {
                    b.put("px", Decimals.format(cmd.px(), ins.priceScale()));
                }
                b.put("sz", Decimals.format(cmd.sz(), tgt == TargetCurrency.QUOTE_CCY ? ins.quote().scale() : ins.base().scale()));
                b.put("tgtCcy", tgt == TargetCurrency.QUOTE_CCY ? "quote_ccy" : "base_ccy");
                b.put("stpMode", stp.okx());
                if (clOrdId != null) {
                    b.put("clOrdId", clOrdId);
                }
                if (tag != null) {
                    b.put("tag", tag);
                }
                return b;
            };
            return route(l, cmd, "/orders", body, "place", clOrdId, tag, null);
        } catch (OrderArgs e) {
            return refused("place", e, clOrdId, tag, null);
        }
    }

    @Override
    public CompletableFuture<ObjectNode> cancel(ApiPrincipal who, JsonNode args) {
        String clOrdId = optional(args, "clOrdId");
        try {
            InstrumentCatalog.Listed l = instrument(args);
            long ordId = ordId(args, clOrdId);
            checkClOrdId(clOrdId);
            return route(l, ShardCommand.cancel(who.userId(), l.instId(), ordId, clOrdId), "/orders/cancel",
                    () -> idBody(who, l, ordId, clOrdId), "cancel", clOrdId, null, null);
        } catch (OrderArgs e) {
            return refused("cancel", e, clOrdId, null, null);
        }
    }

    @Override
    public CompletableFuture<ObjectNode> amend(ApiPrincipal who, JsonNode args) {
        String clOrdId = optional(args, "clOrdId");
        String reqId = optional(args, "reqId");
        try {
            InstrumentCatalog.Listed l = instrument(args);
            Instrument ins = l.instrument();
            long ordId = ordId(args, clOrdId);
            checkClOrdId(clOrdId);
            if (reqId != null && !CL_ORD_ID.matcher(reqId).matches()) {
                throw OrderArgs.bad("reqId");
            }
            long newSz = optional(args, "newSz") == null ? 0 : amount(args, "newSz", ins.base().scale());
            long newPx = optional(args, "newPx") == null ? 0 : amount(args, "newPx", ins.priceScale());
            if (newSz == 0 && newPx == 0) {
                throw new OrderArgs("50014", "Parameter newSz or newPx can not be empty.");
            }
            java.util.function.Supplier<ObjectNode> body = () -> {
                ObjectNode b = idBody(who, l, ordId, clOrdId);
                if (newSz != 0) {
                    b.put("newSz", Decimals.format(newSz, ins.base().scale()));
                }
                if (newPx != 0) {
                    b.put("newPx", Decimals.format(newPx, ins.priceScale()));
                }
                return b;
            };
            return route(l, ShardCommand.amend(who.userId(), l.instId(), ordId, clOrdId, newSz, newPx), "/orders/amend", body,
                    "amend", clOrdId, null, reqId);
        } catch (OrderArgs e) {
            return refused("amend", e, clOrdId, null, reqId);
        }
    }

    /** Cancels every live order of the user on every shard (cancel-all-after, admin freezes). */
    public CompletableFuture<Integer> cancelAll(long userId) {
        CompletableFuture<Integer> total = local.submit(ShardCommand.massCancel(userId, null))
                .thenApply(o -> o.ok() ? o.count() : 0);
        for (int shard : catalog.all().stream().mapToInt(InstrumentCatalog.Listed::shardId).distinct().toArray()) {
            if (shard == local.shardId()) {
                continue;
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("userId", Long.toString(userId));
            CompletableFuture<Integer> remote = forwarder.post(shard, "/orders/mass-cancel", body)
                    .thenApply(env -> env.path("data").path(0).path("count").asInt(0));
            total = total.thenCombine(remote, Integer::sum);
        }
        return total;
    }

    // ------------------------------------------------------------------ routing

    /**
     * To the shard the catalog names: this pod's queue or the owner's internal API. A shard that answers it
     * does not hold the instrument (it moved, or is moving) executed nothing, so the command goes once more
     * to the owner the database names now; if that has not changed the trader gets the retryable answer.
     */
    private CompletableFuture<ObjectNode> route(InstrumentCatalog.Listed l, ShardCommand cmd, String path,
                                                java.util.function.Supplier<ObjectNode> body,
                                                String op, String clOrdId, String tag, String reqId) {
        return send(l.shardId(), cmd, path, body, op, clOrdId, tag, reqId).thenCompose(item -> {
            if (!Shard.notHere(item.path("sCode").asText(), item.path("sMsg").asText())) {
                return CompletableFuture.completedFuture(item);
            }
            // off the thread that answered (a local answer completes on the sequencer): this reads the database
            return CompletableFuture.supplyAsync(() -> catalog.refresh(l.instId())).thenCompose(now -> {
                if (now == null || now.shardId() == l.shardId()) {
                    return CompletableFuture.completedFuture(item);
                }
                LOG.info(() -> op + " on " + l.instId() + ": shard " + l.shardId() + " no longer holds it; sending to shard "
                        + now.shardId());
                return send(now.shardId(), cmd, path, body, op, clOrdId, tag, reqId);
            });
        });
    }

    private CompletableFuture<ObjectNode> send(int shard, ShardCommand cmd, String path,
                                               java.util.function.Supplier<ObjectNode> body, String op,
                                               String clOrdId, String tag, String reqId) {
        return shard == local.shardId() ? local(cmd, op, clOrdId, tag, reqId)
                : forward(shard, path, body.get(), op, clOrdId, tag, reqId);
    }

    private CompletableFuture<ObjectNode> local(ShardCommand cmd, String op, String clOrdId, String tag, String reqId) {
        return local.submit(cmd)
                .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .handle((out, err) -> {
                    if (err != null) {
                        boolean timeout = err instanceof TimeoutException || err.getCause() instanceof TimeoutException;
                        LOG.log(Level.WARNING, op + ": no outcome from shard " + local.shardId(), err);
                        count(op, "local", timeout ? "50004" : Shard.CODE_UNAVAILABLE);
                        return item(timeout ? "50004" : Shard.CODE_UNAVAILABLE, timeout ? TIMEOUT_MSG : Shard.MSG_UNAVAILABLE,
                                0, clOrdId, tag, reqId);
                    }
                    count(op, "local", out.sCode());
                    return item(out, clOrdId, tag, reqId);
                });
    }

    private CompletableFuture<ObjectNode> forward(int shard, String path, ObjectNode body, String op, String clOrdId, String tag,
                                                  String reqId) {
        return forwarder.post(shard, path, body).thenApply(env -> {
            JsonNode d = env.path("data").path(0);
            String sCode;
            String sMsg;
            long ordId;
            if (d.has("sCode")) {
                sCode = d.path("sCode").asText();
                sMsg = d.path("sMsg").asText("");
                ordId = parseLong(d.path("ordId").asText(""));
            } else {
                sCode = env.path("code").asText(Shard.CODE_UNAVAILABLE);
                sMsg = env.path("msg").asText(Shard.MSG_UNAVAILABLE);
                ordId = 0;
            }
            count(op, "forwarded", sCode);
            return item(sCode, sMsg, ordId, clOrdId, tag, reqId);
        });
    }

    private CompletableFuture<ObjectNode> refused(String op, OrderArgs e, String clOrdId, String tag, String reqId) {
        LOG.info(() -> op + " refused: " + e.getMessage());
        count(op, "refused", e.code);
        return CompletableFuture.completedFuture(item(e.code, e.getMessage(), 0, clOrdId, tag, reqId));
    }

    private void count(String op, String route, String sCode) {
        Counter.builder("bourse_order_entry_total").description("Order operations through the trader API")
                .tag("op", op).tag("route", route).tag("code", sCode).register(meters).increment();
    }

    private static ObjectNode item(CommandOutcome out, String clOrdId, String tag, String reqId) {
        String msg = out.ok() ? "" : out.sMsg();
        return item(out.sCode(), msg, out.ordId(), out.clOrdId() != null ? out.clOrdId() : clOrdId, tag, reqId);
    }

    /** The result item of an operation refused before it reached a shard (a rate limit, say). */
    public static ObjectNode refusal(JsonNode args, String sCode, String sMsg) {
        return item(sCode, sMsg, parseLong(optional(args, "ordId")), optional(args, "clOrdId"), optional(args, "tag"),
                optional(args, "reqId"));
    }

    static ObjectNode item(String sCode, String sMsg, long ordId, String clOrdId, String tag, String reqId) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("ordId", ordId == 0 ? "" : Long.toString(ordId));
        n.put("clOrdId", clOrdId == null ? "" : clOrdId);
        n.put("tag", tag == null ? "" : tag);
        if (reqId != null) {
            n.put("reqId", reqId);
        }
        n.put("ts", Long.toString(System.currentTimeMillis()));
        n.put("sCode", sCode);
        n.put("sMsg", sMsg == null ? "" : sMsg);
        n.put("subCode", "");
        return n;
    }

    // ------------------------------------------------------------------ arguments

    private InstrumentCatalog.Listed instrument(JsonNode args) {
        if (!(args instanceof ObjectNode)) {
            throw new OrderArgs("50014", "Parameter instId can not be empty.");
        }
        String instId = optional(args, "instId");
        InstrumentCatalog.Listed l;
        if (instId != null) {
            l = catalog.byInstId(instId);
        } else {
            JsonNode code = args.get("instIdCode");
            if (code == null || code.isNull() || code.asText().isEmpty()) {
                throw OrderArgs.empty("instId");
            }
            long c;
            try {
                c = Long.parseLong(code.asText());
            } catch (NumberFormatException e) {
                throw OrderArgs.bad("instIdCode");
            }
            l = catalog.byCode(c);
        }
        if (l == null) {
            throw new OrderArgs("51001", "Instrument ID, Instrument ID code or Spread ID doesn't exist.");
        }
        return l;
    }

    private static ObjectNode idBody(ApiPrincipal who, InstrumentCatalog.Listed l, long ordId, String clOrdId) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("userId", Long.toString(who.userId()));
        body.put("instId", l.instId());
        if (ordId != 0) {
            body.put("ordId", Long.toString(ordId));
        }
        if (clOrdId != null) {
            body.put("clOrdId", clOrdId);
        }
        return body;
    }

    private static void checkClOrdId(String clOrdId) {
        if (clOrdId != null && !CL_ORD_ID.matcher(clOrdId).matches()) {
            throw OrderArgs.bad("clOrdId");
        }
    }

    private static long ordId(JsonNode args, String clOrdId) {
        String v = optional(args, "ordId");
        if (v == null) {
            if (clOrdId == null) {
                throw new OrderArgs("50014", "Parameter ordId or clOrdId can not be empty.");
            }
            return 0;
        }
        long id = parseLong(v);
        if (id <= 0) {
            throw OrderArgs.bad("ordId");
        }
        return id;
    }

    private static long parseLong(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A positive decimal with no more digits than {@code scale}; anything else is refused. */
    private static long amount(JsonNode args, String field, int scale) {
        String v = required(args, field);
        try {
            long units = Decimals.parse(v, scale);
            if (units <= 0) {
                throw OrderArgs.bad(field);
            }
            return units;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw OrderArgs.bad(field);
        }
    }

    private static String required(JsonNode args, String field) {
        String v = optional(args, field);
        if (v == null) {
            throw OrderArgs.empty(field);
        }
        return v;
    }

    /** A field as text; absent, null and "" are all "not given" (OKX ignores empty optional fields). */
    static String optional(JsonNode args, String field) {
        JsonNode v = args == null ? null : args.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }

    private static String optionalOr(JsonNode args, String field, String dflt) {
        String v = optional(args, field);
        return v == null ? dflt : v;
    }
}
