import { describe, expect, it } from "vitest";
import { calendarFile, escapeText, foldLine } from "./ics";

type Property = { name: string; params: Record<string, string>; value: string };

/** A minimal RFC 5545 reader: unfolds lines, splits "NAME;PARAM=V:value", nests components. Enough to read back
 *  what calendarFile writes, independently of how it wrote it. */
function parse(text: string): { name: string; props: Property[]; children: ReturnType<typeof parse>[] } {
  expect(text.endsWith("\r\n")).toBe(true);
  const lines = text
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter(Boolean);
  const stack: ReturnType<typeof parse>[] = [{ name: "ROOT", props: [], children: [] }];
  for (const line of lines) {
    const colon = line.indexOf(":");
    const [name, ...params] = line.slice(0, colon).split(";");
    const value = line.slice(colon + 1);
    if (name === "BEGIN") {
      const component = { name: value, props: [], children: [] };
      stack.at(-1)!.children.push(component);
      stack.push(component);
    } else if (name === "END") {
      expect(stack.pop()!.name).toBe(value);
    } else {
      stack
        .at(-1)!
        .props.push({ name, params: Object.fromEntries(params.map((p) => p.split("=") as [string, string])), value });
    }
  }
  expect(stack).toHaveLength(1);
  return stack[0].children[0];
}

const prop = (component: ReturnType<typeof parse>, name: string) => component.props.find((p) => p.name === name)!;

/** RFC 5545 TEXT unescaped. */
const unescape = (value: string) =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c.toLowerCase() === "n" ? "\n" : c));

/** The UTC instant of a local DATE-TIME in the parsed VTIMEZONE: the last observance begun before it gives the
 *  offset. */
function resolve(vtimezone: ReturnType<typeof parse>, local: string): number {
  const asUtc = (v: string) =>
    Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8), +v.slice(9, 11), +v.slice(11, 13), +v.slice(13, 15));
  const minutes = (o: string) => (o[0] === "-" ? -1 : 1) * (+o.slice(1, 3) * 60 + +o.slice(3, 5));
  const observances = vtimezone.children
    .map((o) => ({ start: asUtc(prop(o, "DTSTART").value), to: minutes(prop(o, "TZOFFSETTO").value) }))
    .filter((o) => o.start <= asUtc(local))
    .sort((a, b) => a.start - b.start);
  expect(observances.length).toBeGreaterThan(0);
  return (asUtc(local) - observances.at(-1)!.to * 60_000) / 1000;
}

/** 20:00 in Rome on Thursday 10 December 2026 (winter, UTC+1), two hours long. */
const DINNER = Date.UTC(2026, 11, 10, 19, 0) / 1000;

const event = (start: number, timeZone = "Europe/Rome") => ({
  uid: "31337-0xabc-42@earnest",
  start,
  end: start + 2 * 3600,
  timeZone,
  summary: "Dinner table, Trattoria Luce",
  location: "Trattoria Luce; Via Roma, 1\nRome",
  description: "2 seats · 0.02 ETH deposit\nBooking 42",
  url: "https://example.org/#/pass/abc",
  stamp: Date.UTC(2026, 11, 2, 12, 0) / 1000,
});

describe("calendarFile (.ics, RFC 5545)", () => {
  it("puts the slot on the venue's clock: DTSTART;TZID=<IANA zone> and a VTIMEZONE that defines it", () => {
    const calendar = parse(calendarFile(event(DINNER)));
    expect(calendar.name).toBe("VCALENDAR");
    expect(prop(calendar, "VERSION").value).toBe("2.0");
    const vtimezone = calendar.children.find((c) => c.name === "VTIMEZONE")!;
    const vevent = calendar.children.find((c) => c.name === "VEVENT")!;
    expect(prop(vtimezone, "TZID").value).toBe("Europe/Rome");
    const start = prop(vevent, "DTSTART");
    expect(start.params).toEqual({ TZID: "Europe/Rome" });
    expect(start.value).toBe("20261210T200000");
    expect(prop(vevent, "DTEND").value).toBe("20261210T220000");
    expect(resolve(vtimezone, start.value)).toBe(DINNER);
    expect(prop(vevent, "DTSTAMP").value).toBe("20261202T120000Z");
  });

  it("a summer slot: Rome on daylight saving, the change defined in the VTIMEZONE", () => {
    const lunch = Date.UTC(2026, 6, 15, 11, 30) / 1000; // 13:30 in Rome (UTC+2)
    const calendar = parse(calendarFile(event(lunch)));
    const vtimezone = calendar.children.find((c) => c.name === "VTIMEZONE")!;
    const vevent = calendar.children.find((c) => c.name === "VEVENT")!;
    expect(prop(vevent, "DTSTART").value).toBe("20260715T133000");
    // Summer time began on 29 March 2026 at 02:00 local (01:00 UTC).
    const spring = vtimezone.children.find((o) => prop(o, "DTSTART").value === "20260329T020000")!;
    expect(spring.name).toBe("DAYLIGHT");
    expect(prop(spring, "TZOFFSETFROM").value).toBe("+0100");
    expect(prop(spring, "TZOFFSETTO").value).toBe("+0200");
    expect(resolve(vtimezone, "20260715T133000")).toBe(lunch);
  });

  it("a zone without daylight saving, half an hour off: one observance", () => {
    const slot = Date.UTC(2026, 11, 10, 14, 0) / 1000; // 19:30 in Kolkata
    const calendar = parse(calendarFile(event(slot, "Asia/Kolkata")));
    const vtimezone = calendar.children.find((c) => c.name === "VTIMEZONE")!;
    expect(vtimezone.children).toHaveLength(1);
    expect(prop(vtimezone.children[0], "TZOFFSETTO").value).toBe("+0530");
    const start = prop(
      calendar.children.find((c) => c.name === "VEVENT")!,
      "DTSTART",
    );
    expect(start.value).toBe("20261210T193000");
    expect(resolve(vtimezone, start.value)).toBe(slot);
  });

  it("escapes text and reads it back as written", () => {
    const calendar = parse(calendarFile(event(DINNER)));
    const vevent = calendar.children.find((c) => c.name === "VEVENT")!;
    expect(prop(vevent, "LOCATION").value).toBe("Trattoria Luce\\; Via Roma\\, 1\\nRome");
    expect(unescape(prop(vevent, "LOCATION").value)).toBe("Trattoria Luce; Via Roma, 1\nRome");
    expect(unescape(prop(vevent, "DESCRIPTION").value)).toBe("2 seats · 0.02 ETH deposit\nBooking 42");
    expect(escapeText("a\\b")).toBe("a\\\\b");
  });

  it("folds lines at 75 octets without splitting a character", () => {
    const long = { ...event(DINNER), summary: "晚餐".repeat(40), description: "x".repeat(200) };
    const text = calendarFile(long);
    for (const line of text.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const vevent = parse(text).children.find((c) => c.name === "VEVENT")!;
    expect(prop(vevent, "SUMMARY").value).toBe("晚餐".repeat(40));
    expect(prop(vevent, "DESCRIPTION").value).toBe("x".repeat(200));
    expect(foldLine("short")).toBe("short");
  });
});
