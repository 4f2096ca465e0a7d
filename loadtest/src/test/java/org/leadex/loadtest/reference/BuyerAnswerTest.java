package org.leadex.loadtest.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.leadex.loadtest.reference.BuyerAnswer.Kind;

class BuyerAnswerTest {

  @Test
  void readsBidsAsTheContractDefinesThem() {
    assertEquals(new BuyerAnswer(Kind.BID, 1425), read(200, "{\"bid\":14.25,\"bid_id\":\"x\"}"));
    assertEquals(new BuyerAnswer(Kind.BID, 900), read(200, "{\"meta\":{\"a\":[1,2]},\"bid\":9}"));
    assertEquals(new BuyerAnswer(Kind.BID, 1410), read(200, "{\"bid\":14.100}"),
        "trailing zeros are not extra decimals");
    assertEquals(Kind.NO_BID, read(204, "").kind());
    assertEquals(Kind.NO_BID, read(200, "{\"bid\":0}").kind());
  }

  @Test
  void anythingElseIsNoBidWithAReason() {
    assertEquals(Kind.MALFORMED, read(200, "{\"bid\":14.255}").kind());
    assertEquals(Kind.MALFORMED, read(200, "{\"bid\":-1}").kind());
    assertEquals(Kind.MALFORMED, read(200, "{\"bid\":\"14.25\"}").kind());
    assertEquals(Kind.MALFORMED, read(200, "{\"price\":14.25}").kind());
    assertEquals(Kind.MALFORMED, read(200, "[14.25]").kind());
    assertEquals(Kind.MALFORMED, read(200, "{\"bid\":14.25").kind());
    assertEquals(Kind.MALFORMED, read(200, "").kind());
    assertEquals(Kind.HTTP_ERROR, read(500, "{\"bid\":14.25}").kind());
    assertEquals(Kind.HTTP_ERROR, read(302, "").kind());
  }

  private static BuyerAnswer read(int status, String body) {
    return BuyerAnswer.read(status, body.getBytes(StandardCharsets.UTF_8));
  }
}
