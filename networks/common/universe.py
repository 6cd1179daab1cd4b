"""The deterministic population of UMKM suppliers that all three networks draw from.

Every UMKM is a pure function of ``(seed, index)``, so each network can seed itself alone
and still agree with the others: about one UMKM in ten is registered in two networks, with
the same NIB but a differently written name and slightly different prices, which is what
the hub has to merge.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from faker import Faker

from networks.common.catalog import (
    BRAND_WORDS,
    CATEGORIES,
    CATEGORY_BY_SLUG,
    HOME_REGIONS,
    LEGAL_FORMS,
    Category,
)

NETWORKS: tuple[str, ...] = ("sejuk", "tangerang", "padi")
SECOND_NETWORK_SHARE = 0.10

_NON_FOOD = frozenset({"batik", "sabun"})
_SNI_STANDARDS = {
    "beras": "SNI 6128:2020",
    "minyak-goreng": "SNI 7709:2019",
    "gula": "SNI 3140.3:2010",
    "tepung": "SNI 3751:2009",
    "kopi": "SNI 2907:2008",
    "teh": "SNI 3836:2013",
    "sabun": "SNI 4594:2017",
}
_VARIANTS = ("", " Super", " Spesial", " Ekonomis", " Kemasan Baru", " Pilihan")


@dataclass(frozen=True, slots=True)
class Certification:
    kind: str  # halal | sni | pirt | bpom
    number: str


@dataclass(frozen=True, slots=True)
class Umkm:
    """One UMKM supplier as it exists in the world, before any network records it."""

    index: int
    nib: str
    legal_form: str
    brand: str
    owner: str
    phone: str
    address: str
    region_code: str
    category_slugs: tuple[str, ...]
    scale: str
    certifications: tuple[Certification, ...]
    networks: tuple[str, ...]  # home network first
    founded_year: int

    @property
    def kbli(self) -> str:
        return CATEGORY_BY_SLUG[self.category_slugs[0]].kbli

    @property
    def kbli_codes(self) -> tuple[str, ...]:
        return tuple(CATEGORY_BY_SLUG[s].kbli for s in self.category_slugs)

    def name_in(self, network: str) -> str:
        """The name as the given network has it written: the home network's is canonical."""
        name = f"{self.legal_form} {self.brand}"
        if network == self.networks[0]:
            return name
        style = self.index % 4
        if style == 0:
            return f"{self.brand}, {self.legal_form}"
        if style == 1:
            return f"{self.legal_form}. {self.brand}"
        if style == 2:
            return name.upper()
        return f"{name} ({self.owner.split()[0]})"

    def price_factor(self, network: str, product: int) -> float:
        """Second registrations list the same goods a few percent cheaper or dearer."""
        if network == self.networks[0]:
            return 1.0
        return random.Random(f"price:{self.nib}:{network}:{product}").uniform(0.95, 1.06)


@dataclass(frozen=True, slots=True)
class ProductSeed:
    """One product of an UMKM, priced for one network."""

    sku: str
    umkm: Umkm
    name: str
    category: Category
    unit: str
    price: int
    stock: int
    min_order: int
    description: str


class Universe:
    """All UMKM for one seed; indexes are stable, so networks seeded alone agree."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._faker = Faker("id_ID")

    def umkm(self, index: int) -> Umkm:
        rng = random.Random(f"umkm:{self.seed}:{index}")
        self._faker.seed_instance(rng.getrandbits(32))
        home = rng.choices(NETWORKS, weights=(34, 33, 33))[0]
        networks: tuple[str, ...] = (home,)
        if rng.random() < SECOND_NETWORK_SHARE:
            networks = (home, rng.choice([n for n in NETWORKS if n != home]))
        first = rng.choice(CATEGORIES)
        slugs: tuple[str, ...] = (first.slug,)
        if rng.random() < 0.3:
            second = rng.choice(CATEGORIES)
            if second.slug != first.slug:
                slugs = (first.slug, second.slug)
        scale = rng.choices(("mikro", "kecil", "menengah", "besar"), weights=(60, 27, 10, 3))[0]
        return Umkm(
            index=index,
            nib=f"91{index:08d}{rng.randrange(1000):03d}",
            legal_form=rng.choice(LEGAL_FORMS),
            brand=f"{rng.choice(BRAND_WORDS)} {self._faker.last_name()}",
            owner=self._faker.name(),
            phone=self._faker.phone_number(),
            address=self._faker.street_address(),
            region_code=rng.choice(HOME_REGIONS[home]),
            category_slugs=slugs,
            scale=scale,
            certifications=_certifications(rng, slugs, scale),
            networks=networks,
            founded_year=rng.randint(1985, 2024),
        )

    def suppliers_for(self, network: str, count: int) -> list[Umkm]:
        """The first ``count`` UMKM registered in ``network``, in index order."""
        found: list[Umkm] = []
        index = 0
        while len(found) < count:
            umkm = self.umkm(index)
            if network in umkm.networks:
                found.append(umkm)
            index += 1
        return found

    def products_for(
        self, network: str, suppliers: list[Umkm], count: int
    ) -> Iterator[ProductSeed]:
        """``count`` products spread evenly over ``suppliers``, priced for ``network``."""
        per, extra = divmod(count, len(suppliers))
        for position, umkm in enumerate(suppliers):
            for number in range(per + (1 if position < extra else 0)):
                yield self.product(network, umkm, number)

    def product(self, network: str, umkm: Umkm, number: int) -> ProductSeed:
        rng = random.Random(f"product:{self.seed}:{umkm.index}:{number}")
        category = CATEGORY_BY_SLUG[umkm.category_slugs[number % len(umkm.category_slugs)]]
        start = umkm.index % len(category.items)
        item = category.items[(start + number) % len(category.items)]
        variant = _VARIANTS[(number // len(category.items)) % len(_VARIANTS)]
        if number >= len(category.items) * len(_VARIANTS):
            variant = f"{variant} Seri {number // (len(category.items) * len(_VARIANTS)) + 1}"
        base = rng.randint(item.price_low, item.price_high)
        price = max(100, round(base * umkm.price_factor(network, number) / 100) * 100)
        stock = 0 if rng.random() < 0.05 else rng.randint(5, 2_000)
        return ProductSeed(
            sku=f"{umkm.nib}-{number:04d}",
            umkm=umkm,
            name=f"{item.name}{variant} cap {umkm.brand}",
            category=category,
            unit=item.unit,
            price=price,
            stock=stock,
            min_order=item.min_order,
            description=f"{item.name} produksi {umkm.name_in(network)}, {category.name.lower()}.",
        )


def _certifications(
    rng: random.Random, slugs: tuple[str, ...], scale: str
) -> tuple[Certification, ...]:
    food = slugs[0] not in _NON_FOOD
    found: list[Certification] = []
    if slugs[0] != "batik" and rng.random() < 0.55:
        found.append(Certification("halal", f"ID{rng.randrange(10**14):014d}"))
    if slugs[0] in _SNI_STANDARDS and rng.random() < 0.3:
        found.append(Certification("sni", _SNI_STANDARDS[slugs[0]]))
    if food and scale in ("mikro", "kecil") and rng.random() < 0.5:
        found.append(Certification("pirt", f"{rng.randrange(10**15):015d}"))
    if food and scale in ("menengah", "besar") and rng.random() < 0.4:
        found.append(Certification("bpom", f"MD {rng.randrange(10**12):012d}"))
    return tuple(found)
