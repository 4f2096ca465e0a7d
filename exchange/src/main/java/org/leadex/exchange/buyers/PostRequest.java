package org.leadex.exchange.buyers;

import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.leadex.exchange.adapters.Secrets;

/**
 * What one buyer is sent for one lead, in the form the buyer reads it: the buyer protocol's JSON, or
 * the context its post adapter's templates render. {@link PostClient} asks for the one it needs.
 */
public interface PostRequest {
  /** The buyer protocol's post body. */
  Buffer json();

  /** What a post adapter's templates read, with the buyer's {@code secret.*}. */
  Map<String, Object> adapterContext(Secrets secrets);
}
