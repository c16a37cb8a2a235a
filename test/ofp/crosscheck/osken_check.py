#!/usr/bin/python3
"""Cross-check the codec's corpus with os-ken's OpenFlow 1.3 parser.

For every <name>.bin written by ofp_corpus_gen:
- messages os-ken can parse (switch-to-controller ones): its to_jsondict(),
  flattened the way the C tests flatten JSON, must equal the codec's dump
  (<name>.dump) of the message it meant to encode;
- messages os-ken only builds (controller-to-switch ones): os-ken builds the
  message from the codec's dump (from_jsondict) and serializes it; the bytes
  must equal the codec's.
Run with Debian's /usr/bin/python3 (python3-os-ken)."""
import glob
import os
import re
import sys

from os_ken.ofproto import ofproto_parser, ofproto_v1_3, ofproto_v1_3_parser

# os-ken models these differently from the wire (its own classes for
# vendor payloads): parse must succeed, field comparison is skipped.
PARSE_ONLY = {
    "experimenter": "os-ken decodes the Nicira body into its own class",
}


class FakeDatapath:
    ofproto = ofproto_v1_3
    ofproto_parser = ofproto_v1_3_parser


def flatten(obj, path, out):
    if isinstance(obj, dict):
        if not obj:
            out.append(path + "={}")
        for k, v in obj.items():
            flatten(v, k if not path else path + "." + k, out)
    elif isinstance(obj, list):
        if not obj:
            out.append(path + "=[]")
        for i, v in enumerate(obj):
            flatten(v, "%s[%d]" % (path, i), out)
    elif obj is None:
        out.append(path + "=null")
    elif isinstance(obj, bool):
        out.append("%s=%d" % (path, int(obj)))
    else:
        out.append("%s=%s" % (path, obj))


def unflatten(lines):
    """Inverse of flatten() for the codec's dump lines."""
    root = {}
    for line in lines:
        path, _, value = line.partition("=")
        if value == "null":
            v = None
        elif value == "{}":
            v = {}
        elif value == "[]":
            v = []
        elif re.fullmatch(r"-?[0-9]+", value):
            v = int(value)
        else:
            v = value
        keys = []
        for part in path.split("."):
            m = re.fullmatch(r"(\w+)((?:\[\d+\])*)", part)
            keys.append(m.group(1))
            keys.extend(int(i) for i in re.findall(r"\[(\d+)\]", m.group(2)))
        node = root
        for k, nxt in zip(keys, keys[1:] + [None]):
            if nxt is None:
                if isinstance(node, list):
                    while len(node) <= k:
                        node.append(None)
                node[k] = v
                break
            empty = [] if isinstance(nxt, int) else {}
            if isinstance(node, list):
                while len(node) <= k:
                    node.append(None)
                if node[k] is None:
                    node[k] = empty
            elif k not in node or node[k] in ({}, []) and type(node[k]) is not type(empty):
                node[k] = empty
            node = node[k]
    return root


def build_with_osken(name, ours, buf):
    """os-ken builds the message from our dump; return None if bytes match."""
    jd = unflatten(ours)
    msg = ofproto_parser.ofp_msg_from_jsondict(FakeDatapath(), jd)
    msg.xid = ofproto_parser.header(buf)[3]
    msg.serialize()
    if bytes(msg.buf) == buf:
        return None
    return "os-ken built %s" % bytes(msg.buf).hex()


def main():
    d = sys.argv[1]
    files = sorted(glob.glob(os.path.join(d, "*.bin")))
    bad = 0
    for f in files:
        name = os.path.basename(f)[:-4]
        buf = open(f, "rb").read()
        ours = open(os.path.join(d, name + ".dump")).read().splitlines()
        msg_type = buf[1]
        if ofproto_v1_3_parser._MSG_PARSERS.get(msg_type) is None:
            try:
                problem = build_with_osken(name, ours, buf)
            except Exception as e:  # noqa: BLE001
                problem = "os-ken cannot build it from our fields: %r" % e
            if problem:
                bad += 1
                print("FAIL %s: %s\n     ours      %s" % (name, problem, buf.hex()))
            else:
                print("ok   %s (os-ken built the same %d bytes)" % (name, len(buf)))
            continue
        try:
            version, msg_type, msg_len, xid = ofproto_parser.header(buf)
            msg = ofproto_parser.msg(FakeDatapath(), version, msg_type, msg_len, xid, buf)
            theirs = []
            flatten(msg.to_jsondict(), "", theirs)
        except Exception as e:  # noqa: BLE001 - any parser failure is a finding
            print("FAIL %s: os-ken cannot parse: %r" % (name, e))
            bad += 1
            continue
        if name in PARSE_ONLY:
            print("ok   %s (parsed as %s; %s)" % (name, type(msg).__name__, PARSE_ONLY[name]))
            continue
        a, b = set(ours), set(theirs)
        if a != b:
            bad += 1
            print("FAIL %s: fields differ" % name)
            for line in sorted(a - b)[:8]:
                print("   ours   " + line)
            for line in sorted(b - a)[:8]:
                print("   os-ken " + line)
        else:
            print("ok   %s (%s, %d fields equal)" % (name, type(msg).__name__, len(a)))
    print("os-ken: %d of %d messages differ" % (bad, len(files)))
    return 1 if bad or not files else 0


if __name__ == "__main__":
    sys.exit(main())
