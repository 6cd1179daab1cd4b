"""Orders: placing them (priced, stock taken, all or nothing), looking up, cancelling, advancing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import case, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from networks.common.db import Database
from networks.sejuk.changelog import record_changes
from networks.sejuk.errors import SejukError, galat
from networks.sejuk.order_schemas import Pesanan, PesananMasuk
from networks.sejuk.pricing import unit_price
from networks.sejuk.tables import pesanan, pesanan_baris, produk
from networks.sejuk.views import pesanan_view
from networks.sejuk.waktu import now

NEXT_STATUS: dict[str, str] = {
    "dibuat": "dikonfirmasi",
    "dikonfirmasi": "dikirim",
    "dikirim": "diterima",
}
CANCELLABLE = frozenset({"dibuat", "dikonfirmasi"})


def duplicate_reference(referensi: str, pesanan_id: int) -> SejukError:
    return SejukError(
        409,
        "REFERENSI_GANDA",
        f"referensi_klien {referensi!r} sudah dipakai oleh pesanan {pesanan_id}",
        pesanan_id=pesanan_id,
    )


async def _existing_id(session: AsyncSession, mitra: str, referensi: str) -> int | None:
    found = await session.scalar(
        select(pesanan.c.id).where(pesanan.c.mitra == mitra, pesanan.c.referensi_klien == referensi)
    )
    return None if found is None else int(found)


async def load(session: AsyncSession, mitra: str, pesanan_id: int) -> Pesanan:
    """The partner's order ``pesanan_id``; other partners' orders are not found."""
    row = (
        await session.execute(
            select(pesanan).where(pesanan.c.id == pesanan_id, pesanan.c.mitra == mitra)
        )
    ).first()
    if row is None:
        raise galat(404, "TIDAK_DITEMUKAN", f"pesanan {pesanan_id} tidak ditemukan")
    return await view_of(session, row._mapping)


async def view_of(session: AsyncSession, row: Mapping[Any, Any]) -> Pesanan:
    """An order row with its lines as the API shows it."""
    lines = (
        await session.execute(
            select(pesanan_baris)
            .where(pesanan_baris.c.pesanan_id == row["id"])
            .order_by(pesanan_baris.c.id)
        )
    ).all()
    return pesanan_view(row, [line._mapping for line in lines])


def _check_lines(body: PesananMasuk) -> None:
    repeated = [pid for pid, n in Counter(b.produk_id for b in body.baris).items() if n > 1]
    if repeated:
        raise galat(
            422,
            "BARIS_GANDA",
            "setiap produk hanya boleh muncul sekali dalam satu pesanan",
            [{"produk_id": pid} for pid in repeated],
        )


async def _products(session: AsyncSession, body: PesananMasuk) -> dict[int, Mapping[Any, Any]]:
    ids = [b.produk_id for b in body.baris]
    rows = (
        await session.execute(
            select(produk).where(produk.c.id.in_(ids), produk.c.dihapus.is_(False))
        )
    ).all()
    found: dict[int, Mapping[Any, Any]] = {int(r.id): r._mapping for r in rows}
    missing = [pid for pid in ids if pid not in found]
    if missing:
        raise galat(
            422,
            "PRODUK_TIDAK_DITEMUKAN",
            "produk tidak ada di katalog SEJUK",
            [{"produk_id": pid} for pid in missing],
        )
    too_few = [b for b in body.baris if b.jumlah < found[b.produk_id]["minimal_pesan"]]
    if too_few:
        raise galat(
            422,
            "DI_BAWAH_MINIMAL_PESAN",
            "jumlah di bawah minimal pesan",
            [
                {"produk_id": b.produk_id, "minimal_pesan": found[b.produk_id]["minimal_pesan"]}
                for b in too_few
            ],
        )
    short = [b for b in body.baris if b.jumlah > found[b.produk_id]["stok"]]
    if short:
        raise galat(
            409,
            "STOK_TIDAK_CUKUP",
            "stok tidak mencukupi",
            [{"produk_id": b.produk_id, "stok": found[b.produk_id]["stok"]} for b in short],
        )
    return found


async def create(db: Database, mitra: str, body: PesananMasuk) -> Pesanan:
    """Place an order in one write transaction; a reused ``referensi_klien`` is a 409."""
    try:
        async with db.write() as session:
            existing = await _existing_id(session, mitra, body.referensi_klien)
            if existing is not None:
                raise duplicate_reference(body.referensi_klien, existing)
            _check_lines(body)
            found = await _products(session, body)
            stamp = now()
            lines = []
            for b in body.baris:
                item = found[b.produk_id]
                price, tier = unit_price(item["harga"], item["harga_grosir"], b.jumlah)
                lines.append(
                    {
                        "produk_id": b.produk_id,
                        "nama": item["nama"],
                        "satuan": item["satuan"],
                        "jumlah": b.jumlah,
                        "harga_dasar": item["harga"],
                        "harga_satuan": price,
                        "tingkat_grosir": tier,
                        "subtotal": price * b.jumlah,
                    }
                )
            order_id = await session.scalar(
                insert(pesanan)
                .values(
                    mitra=mitra,
                    referensi_klien=body.referensi_klien,
                    status="dibuat",
                    pembeli_nama=body.pembeli.nama,
                    pembeli_organisasi_id=body.pembeli.organisasi_id,
                    pembeli_jaringan_asal=body.pembeli.jaringan_asal,
                    pembeli_kode_wilayah_kirim=body.pembeli.kode_wilayah_kirim,
                    catatan=body.catatan,
                    total=sum(line["subtotal"] for line in lines),
                    dibuat_pada=stamp,
                    diperbarui_pada=stamp,
                )
                .returning(pesanan.c.id)
            )
            assert order_id is not None
            await session.execute(
                insert(pesanan_baris), [{"pesanan_id": order_id, **line} for line in lines]
            )
            for b in body.baris:
                await session.execute(
                    update(produk)
                    .where(produk.c.id == b.produk_id)
                    .values(stok=produk.c.stok - b.jumlah, diperbarui_pada=stamp)
                )
            await record_changes(session, found)
            return await load(session, mitra, int(order_id))
    except IntegrityError:
        # Another writer took the reference first; the UNIQUE constraint is the last word.
        async with db.read() as session:
            existing = await _existing_id(session, mitra, body.referensi_klien)
        if existing is None:
            raise
        raise duplicate_reference(body.referensi_klien, existing) from None


async def cancel(db: Database, mitra: str, pesanan_id: int) -> Pesanan:
    """Cancel an order not yet shipped and put its stock back."""
    async with db.write() as session:
        order = await load(session, mitra, pesanan_id)
        if order.status not in CANCELLABLE:
            raise galat(
                409,
                "TIDAK_DAPAT_DIBATALKAN",
                f"pesanan berstatus {order.status} tidak dapat dibatalkan",
            )
        stamp = now()
        await session.execute(
            update(pesanan)
            .where(pesanan.c.id == pesanan_id)
            .values(status="dibatalkan", diperbarui_pada=stamp)
        )
        for line in order.baris:
            await session.execute(
                update(produk)
                .where(produk.c.id == line.produk_id)
                .values(stok=produk.c.stok + line.jumlah, diperbarui_pada=stamp)
            )
        live = await session.scalars(
            select(produk.c.id).where(
                produk.c.id.in_([line.produk_id for line in order.baris]),
                produk.c.dihapus.is_(False),
            )
        )
        await record_changes(session, live)
        return await load(session, mitra, pesanan_id)


async def advance(db: Database, pesanan_id: int) -> Pesanan:
    """Move one order (any partner's) a step along dibuat → dikonfirmasi → dikirim → diterima."""
    async with db.write() as session:
        row = (await session.execute(select(pesanan).where(pesanan.c.id == pesanan_id))).first()
        if row is None:
            raise galat(404, "TIDAK_DITEMUKAN", f"pesanan {pesanan_id} tidak ditemukan")
        following = NEXT_STATUS.get(row.status)
        if following is None:
            raise galat(409, "STATUS_AKHIR", f"pesanan berstatus {row.status} tidak bisa maju")
        await session.execute(
            update(pesanan)
            .where(pesanan.c.id == pesanan_id)
            .values(status=following, diperbarui_pada=now())
        )
        return await load(session, row.mitra, pesanan_id)


async def advance_all(db: Database) -> int:
    """One clock tick: every open order moves exactly one step. Returns how many moved."""
    async with db.write() as session:
        result = await session.execute(
            update(pesanan)
            .where(pesanan.c.status.in_(list(NEXT_STATUS)))
            .values(
                status=case(NEXT_STATUS, value=pesanan.c.status),
                diperbarui_pada=now(),
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
