import { act, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Router } from "wouter";
import { navigate, useHashLocation } from "wouter/use-hash-location";
import { PageQuery } from "./PageQuery";

describe("PageQuery", () => {
  afterEach(() => history.replaceState(null, "", "/"));

  it("keeps a page's query while the route stays, and drops it when the route changes", () => {
    history.replaceState(null, "", "/?date=2026-12-10&slot=1796238000#/offerings/1");
    render(
      <Router hook={useHashLocation}>
        <PageQuery />
      </Router>,
    );
    expect(location.search).toBe("?date=2026-12-10&slot=1796238000");

    act(() => navigate("/pass/abc"));
    expect(location.hash).toBe("#/pass/abc");
    expect(location.search).toBe("");
  });
});
