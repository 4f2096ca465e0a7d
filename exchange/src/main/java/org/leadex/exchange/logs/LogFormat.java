package org.leadex.exchange.logs;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * How the exchange writes its log (standard error, through java.util.logging; libraries reach it
 * through slf4j-jdk14): {@code text} for people, {@code json} for production log collectors.
 */
public enum LogFormat {
  TEXT, JSON;

  public Formatter formatter() {
    return this == JSON ? new JsonLogFormatter() : new TextLogFormatter();
  }

  /** Replaces the root logger's handlers with one console handler in this format. */
  public void install() {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler console = new ConsoleHandler();
    console.setFormatter(formatter());
    root.addHandler(console);
  }
}
