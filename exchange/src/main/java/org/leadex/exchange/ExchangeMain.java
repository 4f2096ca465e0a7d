package org.leadex.exchange;

public final class ExchangeMain {
  public static void main(String[] args) {
    System.out.println("exchange");
  }
}
