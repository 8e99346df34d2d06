import assert from "node:assert/strict";
import { test } from "node:test";
import { clientAddressOf } from "../src/app/client-address";

test("X-Real-IP wins: the proxy in front vouches for it", () => {
  assert.equal(clientAddressOf({ "x-real-ip": "10.0.0.7", "x-forwarded-for": "1.2.3.4" }, "10.0.0.9"), "10.0.0.7");
});

test("else the rightmost X-Forwarded-For entry: the one the nearest proxy appended", () => {
  assert.equal(clientAddressOf({ "x-forwarded-for": "10.0.0.1, 10.0.0.249" }, "10.0.0.250"), "10.0.0.249");
});

test("else the TCP peer", () => {
  assert.equal(clientAddressOf({}, "10.0.0.250"), "10.0.0.250");
});
