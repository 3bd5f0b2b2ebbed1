"""The virtio part of the Linux boot test (linux_session.py --devices).

Gives the machine, on virt's virtio-mmio transports:
- three disks, told apart in the guest by their serial numbers: an ext4 image written through
  (`disk`, holding a data file and the smp_atomics program), a raw image with snapshot=on (`snap`)
  and one with readonly=on (`ro`);
- user networking (libslirp) with a host port forwarded to the guest's port 80;
- a virtio-serial-device whose virtconsole port writes to a file;
- virtio-rng.

In the guest it checks the data file's checksum, that a file written to `disk` reaches the image,
that `snap` takes writes the image never sees, that `ro` refuses them, a DNS-less HTTP fetch from a
server on the host's loopback (10.0.2.2), a fetch from the guest's busybox httpd through the
forwarded port, hvc0's output, the RNG, and (on any number of harts) the smp_atomics totals.
"""
import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.request

ROOTFS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "guest", "linux", "rootfs")
ATOMICS_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "guest", "linux", "smp_atomics.c")
SBIN_PATH = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
ATOMICS_ITERATIONS = 20000
# `dev SERIAL` names the disk with that serial number: /dev/vdX.
DEV_FUNCTION = 'dev() { for d in /sys/block/vd*; do [ "$(cat $d/serial)" = "$1" ] && echo /dev/${d##*/}; done; }'


def md5(data):
    return hashlib.md5(data).hexdigest()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name):
    path = shutil.which(name, path=SBIN_PATH)
    if not path:
        raise SystemExit(f"FAIL: {name} is missing (scripts/setup.sh installs it)")
    return path


class VirtioChecks:
    def __init__(self, smp):
        self.smp = smp
        self.dir = tempfile.mkdtemp(prefix="mimic-virtio-")
        rng = os.urandom
        # The ext4 disk: a data file and the atomics test, built here for riscv64 Linux.
        root = os.path.join(self.dir, "root")
        os.mkdir(root)
        self.data = rng(200 * 1024)
        with open(os.path.join(root, "data.bin"), "wb") as f:
            f.write(self.data)
        subprocess.run([tool("riscv64-linux-gnu-gcc"), "-static", "-O2", "-pthread", "-o",
                        os.path.join(root, "smp_atomics"), ATOMICS_SOURCE], check=True)
        self.disk = os.path.join(self.dir, "disk.img")
        subprocess.run([tool("mkfs.ext4"), "-q", "-F", "-d", root, self.disk, "16M"], check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "PATH": SBIN_PATH, "E2FSPROGS_FAKE_TIME": "0"})
        self.snap = os.path.join(self.dir, "snap.img")
        self.ro = os.path.join(self.dir, "ro.img")
        for path in (self.snap, self.ro):
            with open(path, "wb") as f:
                f.write(rng(1 << 20))
        self.snap_md5 = self.file_md5(self.snap)
        self.ro_md5 = self.file_md5(self.ro)
        self.console = os.path.join(self.dir, "hvc0.txt")

        # A web server on the host's loopback, for the guest to fetch from.
        self.page = rng(64 * 1024)
        www = os.path.join(self.dir, "www")
        os.mkdir(www)
        with open(os.path.join(www, "page.bin"), "wb") as f:
            f.write(self.page)
        handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=www, **k)  # noqa: E731
        http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.forward_port = free_port()

    @staticmethod
    def file_md5(path):
        with open(path, "rb") as f:
            return md5(f.read())

    def arguments(self):
        return ["-drive", f"file={self.disk},if=none,format=raw,id=d0",
                "-device", "virtio-blk-device,drive=d0,serial=disk",
                "-drive", f"file={self.snap},if=none,format=raw,id=d1,snapshot=on",
                "-device", "virtio-blk-device,drive=d1,serial=snap",
                "-drive", f"file={self.ro},if=none,format=raw,id=d2,readonly=on",
                "-device", "virtio-blk-device,drive=d2,serial=ro",
                "-netdev", f"user,id=n0,hostfwd=tcp:127.0.0.1:{self.forward_port}-:80",
                "-device", "virtio-net-device,netdev=n0",
                "-chardev", f"file,id=c0,path={self.console}",
                "-device", "virtio-serial-device", "-device", "virtconsole,chardev=c0",
                "-device", "virtio-rng-device"]

    def in_guest(self, run, fail):
        run(DEV_FUNCTION, "a shell function")
        text = run("mount $(dev disk) /mnt && md5sum /mnt/data.bin", "the disk's data file's checksum")
        if md5(self.data) not in text:
            fail(f"md5sum of data.bin on the virtio disk said {text.strip()!r}, expected {md5(self.data)}")
        n = ATOMICS_ITERATIONS
        text = run(f"/mnt/smp_atomics {max(self.smp, 2)} {n}", "smp_atomics' totals")
        total = max(self.smp, 2) * n
        if f"amoadd {total} lrsc {total} amoswap-lock {total}" not in text:
            fail(f"smp_atomics on {self.smp} harts said {text.strip()!r}, expected {total} for each")
        run("echo written-by-the-guest >/mnt/guest.txt && umount /mnt", "a write to the disk")

        zeros = md5(bytes(64 * 1024))
        text = run("dd if=/dev/zero of=$(dev snap) bs=4096 count=16 conv=fsync 2>/dev/null && "
                   "echo 3 >/proc/sys/vm/drop_caches && dd if=$(dev snap) bs=4096 count=16 2>/dev/null | md5sum",
                   "the snapshot disk reading back a write")
        if zeros not in text:
            fail(f"the snapshot disk read back {text.strip()!r} after writing zeros, expected {zeros}")
        # The echoed command wraps and may reach the output, and kernel messages may come between
        # lines: what is checked is made by the shell ($((...))) and so never in the command.
        text = run("echo ro=$(cat /sys/block/$(basename $(dev ro))/ro); "
                   "if dd if=/dev/zero of=$(dev ro) bs=512 count=1 conv=fsync 2>/dev/null; "
                   "then echo write-$((6*7))-done; else echo write-$((6*7))-refused; fi", "a write to the read-only disk")
        if "ro=1" not in text or "write-42-refused" not in text:
            fail(f"the read-only disk: {text.strip()!r}, expected ro=1 and the write refused")

        text = run(f"wget -q -O - http://10.0.2.2:{self.server.server_address[1]}/page.bin | md5sum",
                   "a fetch from the host")
        if md5(self.page) not in text:
            fail(f"wget from the host's server gave {text.strip()!r}, expected {md5(self.page)}")
        run("httpd -p 80 -h /etc", "busybox httpd")
        with open(os.path.join(ROOTFS, "etc", "inittab"), "rb") as f:
            inittab = f.read()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.forward_port}/inittab", timeout=30) as r:
                got = r.read()
        except OSError as e:
            fail(f"fetching the guest's /etc/inittab through hostfwd: {e}")
        if got != inittab:
            fail(f"the guest's /etc/inittab through hostfwd came back as {got[:60]!r}...")

        run("echo hello-from-hvc0 >/dev/hvc0", "a write to hvc0")
        text = run("cat /sys/class/misc/hw_random/rng_current && echo bytes=$(head -c 4096 /dev/hwrng | wc -c)",
                   "the RNG")
        if "virtio_rng" not in text or "bytes=4096" not in text:
            fail(f"the hardware RNG: {text.strip()!r}, expected virtio_rng giving 4096 bytes")

    def after_reboot(self, run, fail):
        """The rebooted kernel finds the devices again: the disk's data and the host's server."""
        run(DEV_FUNCTION, "a shell function")
        text = run("mount -o ro $(dev disk) /mnt && md5sum /mnt/data.bin && umount /mnt", "the disk after the reboot")
        if md5(self.data) not in text:
            fail(f"after the reboot, md5sum of data.bin said {text.strip()!r}")
        text = run(f"wget -q -O - http://10.0.2.2:{self.server.server_address[1]}/page.bin | md5sum",
                   "a fetch from the host after the reboot")
        if md5(self.page) not in text:
            fail(f"after the reboot, wget from the host's server gave {text.strip()!r}")

    def after_exit(self, fail):
        out = subprocess.run([tool("debugfs"), "-R", "cat /guest.txt", self.disk], capture_output=True,
                             text=True, env={**os.environ, "PATH": SBIN_PATH})
        if "written-by-the-guest" not in out.stdout:
            fail(f"the guest's file is not in the disk image: debugfs said {out.stdout!r} {out.stderr!r}")
        if self.file_md5(self.snap) != self.snap_md5:
            fail("the snapshot=on image was written")
        if self.file_md5(self.ro) != self.ro_md5:
            fail("the readonly=on image was written")
        with open(self.console, "rb") as f:
            console = f.read()
        if b"hello-from-hvc0" not in console:
            fail(f"hvc0's output is not in the chardev file: {console!r}")
        self.server.shutdown()
        shutil.rmtree(self.dir, ignore_errors=True)
