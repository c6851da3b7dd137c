package dev.bourse.bench.load;

import dev.bourse.client.error.RequestStateException;
import dev.bourse.client.ws.OpOutcomeUnknownException;
import dev.bourse.client.ws.WsErrorException;
import dev.bourse.client.ws.WsNotSentException;
import dev.bourse.client.ws.op.OpReply;
import dev.bourse.client.ws.op.OpResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How answers and failures of both entry paths are told apart in the report. */
class AnswerKindsTest {

    @Test
    void restFailuresSayWhereTheyStoppedAndWhetherTheRequestWentOut() {
        var timeout = new RequestStateException(RequestStateException.Stage.HTTP, true, "POST", "/api/v5/trade/order",
                "timeout: timeout", null, 1, Duration.ofSeconds(10));
        var gate = new RequestStateException(RequestStateException.Stage.GATE, false, "POST", "/api/v5/trade/order",
                "deadline: would wait 3 s", null, 1, Duration.ZERO);
        var refused = new RequestStateException(RequestStateException.Stage.HTTP, false, "POST", "/api/v5/trade/order",
                "connection refused: Connection refused", null, 1, Duration.ZERO);
        assertEquals("rest http sent, no answer: timeout", RestOrderEntry.failureKind(timeout));
        assertEquals("rest gate not sent: deadline", RestOrderEntry.failureKind(gate));
        assertEquals("rest http not sent: connection refused", RestOrderEntry.failureKind(refused));
    }

    @Test
    void wsRepliesAndFailures() {
        OpReply ok = new OpReply("1", "order", "0", "", List.of(new OpResult("9", "c", "", "1", "0", "", null, null)),
                null, null);
        assertEquals(Answer.accepted("9"), WsOrderEntry.answer(ok));
        OpReply refused = new OpReply("2", "order", "1", "Operation failed.", List.of(new OpResult("", "c", "", "1",
                "51008", "Order failed. Insufficient balance", null, null)), null, null);
        assertEquals(Answer.rejected("51008", "Order failed. Insufficient balance"), WsOrderEntry.answer(refused));
        assertTrue(WsOrderEntry.answer(refused).orderGone());
        assertEquals(Answer.rejected("60011", "Please log in"), WsOrderEntry.answer(new OpReply("3", "order", "60011",
                "Please log in", List.of(), null, null)));
        assertEquals(Answer.rejected("60012", "Illegal request"),
                WsOrderEntry.failure(new CompletionException(new WsErrorException("60012", "Illegal request"))));
        assertEquals(Answer.failed("ws not sent"), WsOrderEntry.failure(new WsNotSentException("not connected")));
        assertEquals(Answer.failed("ws sent, no answer: timeout"), WsOrderEntry.failure(new OpOutcomeUnknownException(
                "4", "order", OpOutcomeUnknownException.Reason.TIMEOUT, "10 s")));
        assertFalse(Answer.rejected("50011", "Too Many Requests").orderGone(), "a limited cancel may still rest");
    }
}
