"""Pillar 2: chaotic dynamical systems on diffrax, with their invariants.

The machinery (systems, trajectories and sharded ensembles, Lyapunov spectra over any step
map, Kaplan–Yorke and correlation dimensions, power spectra, delay embedding) and 70 flows of
the dysts catalog, each checked against dysts; the rest of the catalog follows.
"""

from .._parameters import parameter as parameter
from ._catalog import get as get, names as names
from ._flows import (
    Aizawa as Aizawa,
    BurkeShaw as BurkeShaw,
    Chen as Chen,
    ChenLee as ChenLee,
    Dadras as Dadras,
    DequanLi as DequanLi,
    Finance as Finance,
    Hadley as Hadley,
    Halvorsen as Halvorsen,
    HindmarshRose as HindmarshRose,
    LiuChen as LiuChen,
    Lorenz as Lorenz,
    Lorenz84 as Lorenz84,
    LuChen as LuChen,
    NewtonLiepnik as NewtonLiepnik,
    NoseHoover as NoseHoover,
    PanXuZhou as PanXuZhou,
    PehlivanWei as PehlivanWei,
    Qi as Qi,
    QiChen as QiChen,
    RabinovichFabrikant as RabinovichFabrikant,
    RikitakeDynamo as RikitakeDynamo,
    Rossler as Rossler,
    Rucklidge as Rucklidge,
    Sakarya as Sakarya,
    SanUmSrisuchinwong as SanUmSrisuchinwong,
    ShimizuMorioka as ShimizuMorioka,
    Thomas as Thomas,
    ThomasLabyrinth as ThomasLabyrinth,
    WangSun as WangSun,
    YuWang as YuWang,
    ZhouChen as ZhouChen,
)
from ._geometry import (
    correlation_dimension as correlation_dimension,
    correlation_sum as correlation_sum,
    delay_embed as delay_embed,
    power_spectrum as power_spectrum,
)
from ._hyperchaos import (
    HyperBao as HyperBao,
    HyperCai as HyperCai,
    HyperJha as HyperJha,
    HyperLorenz as HyperLorenz,
    HyperLu as HyperLu,
    HyperPang as HyperPang,
    HyperQi as HyperQi,
    HyperRossler as HyperRossler,
    HyperWang as HyperWang,
    HyperXu as HyperXu,
    HyperYan as HyperYan,
    HyperYangChen as HyperYangChen,
    LorenzStenflo as LorenzStenflo,
)
from ._integrate import ensemble as ensemble, trajectory as trajectory
from ._lyapunov import (
    flow_map as flow_map,
    kaplan_yorke_dimension as kaplan_yorke_dimension,
    lyapunov_spectrum as lyapunov_spectrum,
    lyapunov_spectrum_of_map as lyapunov_spectrum_of_map,
    max_lyapunov as max_lyapunov,
)
from ._models import (
    Chua as Chua,
    GuckenheimerHolmes as GuckenheimerHolmes,
    IsothermalChemical as IsothermalChemical,
    KawczynskiStrizhak as KawczynskiStrizhak,
    Laser as Laser,
    NuclearQuadrupole as NuclearQuadrupole,
)
from ._sprott import (
    SprottA as SprottA,
    SprottB as SprottB,
    SprottC as SprottC,
    SprottD as SprottD,
    SprottE as SprottE,
    SprottF as SprottF,
    SprottG as SprottG,
    SprottH as SprottH,
    SprottI as SprottI,
    SprottJ as SprottJ,
    SprottK as SprottK,
    SprottL as SprottL,
    SprottM as SprottM,
    SprottN as SprottN,
    SprottO as SprottO,
    SprottP as SprottP,
    SprottQ as SprottQ,
    SprottR as SprottR,
    SprottS as SprottS,
)
from ._system import (
    AbstractSystem as AbstractSystem,
    Invariants as Invariants,
    SystemInfo as SystemInfo,
    system_info as system_info,
)
